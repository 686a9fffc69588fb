/**
 * Secrets never sit in the config file: a string value `env:NAME` is replaced by the
 * process environment's NAME. Missing variables are collected, one problem per key path;
 * resolved values are collected in `resolved`, for the redactor.
 */
export function resolveEnvRefs(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  path: readonly (string | number)[] = [],
  resolved: string[] = [],
): unknown {
  if (typeof value === 'string') {
    const match = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
    if (!match) return value;
    const name = match[1]!;
    const found = env[name];
    if (found === undefined || found === '') {
      problems.push(
        `${formatPath(path)}: environment variable ${name} is not set (the file says env:${name})`,
      );
      return undefined;
    }
    resolved.push(found);
    return found;
  }
  if (Array.isArray(value))
    return value.map((item, i) => resolveEnvRefs(item, env, problems, [...path, i], resolved));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveEnvRefs(item, env, problems, [...path, key], resolved),
      ]),
    );
  }
  return value;
}

/**
 * The passwords of every URL among the strings of a parsed config. User names stay: they are
 * often ordinary words (`postgres`) that would blank out every message mentioning them.
 */
export function urlCredentials(value: unknown): string[] {
  if (typeof value === 'string') {
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s:@]*:([^/?#\s@]+)@/i.exec(value)?.[1];
    return password === undefined ? [] : [...new Set([password, safeDecode(password)])];
  }
  if (Array.isArray(value)) return value.flatMap(urlCredentials);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(urlCredentials);
  return [];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}
