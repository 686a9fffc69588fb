/**
 * Secrets never sit in the config file: a string value `env:NAME` is replaced by the
 * process environment's NAME. Missing variables are collected, one problem per key path.
 */
export function resolveEnvRefs(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  path: readonly (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    const match = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
    if (!match) return value;
    const name = match[1]!;
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      problems.push(
        `${formatPath(path)}: environment variable ${name} is not set (the file says env:${name})`,
      );
      return undefined;
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveEnvRefs(item, env, problems, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveEnvRefs(item, env, problems, [...path, key])]),
    );
  }
  return value;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}
