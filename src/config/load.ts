import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { EnvName } from '../domain/ids.ts';
import { type Config, type EnvironmentConfig, withTierDefaults } from './config.ts';
import { formatPath, resolveEnvRefs, urlCredentials } from './env-refs.ts';
import { ConfigError } from './errors.ts';
import { redisTargetOf } from './redis.ts';
import { ConfigFileSchema } from './schema.ts';

/** `audit.retain` when the file does not say: 400 days. */
const DEFAULT_AUDIT_RETAIN_MS = 400 * 86_400_000;

export const DEFAULT_CONFIG_PATH = 'pc-verify.yml';

/** Reads the file named by `PCV_CONFIG` (or the given path, or `pc-verify.yml`) and validates it once. */
export async function loadConfigFile(
  path: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Config> {
  const file = path ?? env.PCV_CONFIG ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError(file, [
      `cannot read the configuration (${reason}); pass --config or set PCV_CONFIG`,
    ]);
  }
  return parseConfig(text, file, env);
}

const STAGING_ACTIONS = ['stageTokenCache', 'stagedTokenCacheDigest', 'promoteTokenCache'] as const;
// discardStagedTokenCache is not among them: without it a sign-in nobody approved stays in the
// file until someone removes it (each such run says so in its thread), but an upgrade does not
// stop a running bot (and its kill switch) for a config key it did not need before.

/** Parses YAML text; every mistake becomes one line naming its key path. */
export function parseConfig(
  text: string,
  source: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const { data, raw, resolved } = readConfigFile(text, source, env);
  const secrets = [...new Set([...resolved, ...urlCredentials(raw)])];
  const environments = new Map<EnvName, EnvironmentConfig>();
  const { deployment, redis, audit, language } = data;
  for (const [name, file] of Object.entries(data.environments)) {
    environments.set(name as EnvName, { ...withTierDefaults(name as EnvName, file), secrets, language });
  }
  checkPolicies(source, [...environments.values()]);
  return {
    source,
    deployment,
    language,
    ...(redis ? { redis: redisTargetOf(redis) } : {}),
    environments,
    audit: { retainMs: audit?.retain ?? DEFAULT_AUDIT_RETAIN_MS },
    secrets,
  };
}

/** The YAML, its `env:` references resolved, through the schema; every problem at once. */
function readConfigFile(
  text: string,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
): { data: z.infer<typeof ConfigFileSchema>; raw: unknown; resolved: string[] } {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => `YAML syntax (line ${e.linePos?.[0]?.line ?? '?'}): ${e.message.split('\n')[0]}`),
    );
  }
  const problems: string[] = [];
  const resolved: string[] = [];
  const raw = resolveEnvRefs(doc.toJS(), env, problems, [], resolved);
  // A missing env: variable is already reported; do not report its key as "required" too.
  const unresolved = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
  const parsed = ConfigFileSchema.safeParse(raw, {
    error: (issue) => (issue.input === undefined && issue.code === 'invalid_type' ? 'required' : undefined),
  });
  if (!parsed.success) {
    problems.push(
      ...formatIssues(parsed.error.issues).filter((p) => !unresolved.has(p.slice(0, p.indexOf(': ')))),
    );
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(source, dedupe(problems));
  return { data: parsed.data, raw, resolved };
}

/**
 * Policies that cannot work: a gate nobody may open, an approval nobody sees, a sign-in with
 * nowhere to wait for its approval. Each kind of problem is reported on its own.
 */
function checkPolicies(source: string, environments: readonly EnvironmentConfig[]): void {
  for (const problemsOf of [gatelessProblems, unseenProblems, unstagedProblems, bypassableLoginProblems]) {
    const problems = problemsOf(environments);
    if (problems.length > 0) throw new ConfigError(source, problems);
  }
}

function gatelessProblems(environments: readonly EnvironmentConfig[]): string[] {
  return environments.flatMap((e) => {
    if (e.policy.approvers.length > 0) return [];
    const key = `environments.${e.name}.policy.approvers`;
    return [
      ...(e.policy.requireApproval
        ? [
            `${key}: requireApproval is on (${e.tier === 'prod' ? 'the default for prod' : 'set'}) but nobody may approve; list approvers (U… or S…) or set requireApproval: false`,
          ]
        : []),
      ...(e.policy.loginRequiresApproval
        ? [
            `${key}: loginRequiresApproval is on but nobody may approve; list approvers (U… or S…) or set loginRequiresApproval: false`,
          ]
        : []),
    ];
  });
}

function unseenProblems(environments: readonly EnvironmentConfig[]): string[] {
  return environments
    .filter((e) => e.policy.requireApproval && e.policy.channels.length === 0)
    .map(
      (e) =>
        `environments.${e.name}.policy.channels: requireApproval is on (${e.tier === 'prod' ? 'the default for prod' : 'set'}) but no channel is named, so a run could happen where nobody sees it; list the channel ids (C…) the bot is in`,
    );
}

/** A full run signs in too (Phase 2): a login gate without a run gate is a gate beside an open door. */
function bypassableLoginProblems(environments: readonly EnvironmentConfig[]): string[] {
  return environments
    .filter((e) => e.policy.loginRequiresApproval && !e.policy.requireApproval)
    .map(
      (e) =>
        `environments.${e.name}.policy.requireApproval: loginRequiresApproval is on but requireApproval is off, so \`/pc-verify ${e.name}\` would install a new sign-in (Phase 2) with nobody approving; set requireApproval: true, or loginRequiresApproval: false`,
    );
}

function unstagedProblems(environments: readonly EnvironmentConfig[]): string[] {
  return environments.flatMap((e) =>
    e.policy.requireApproval && e.driver.kind === 'commands'
      ? STAGING_ACTIONS.filter((a) => e.driver.kind === 'commands' && !e.driver.commands[a]).map(
          (a) =>
            `environments.${e.name}.driver.commands.${a}: required where requireApproval is on — a sign-in waits beside the live token cache until its approval (see pc-verify.example.yml)`,
        )
      : [],
  );
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`);
    }
    if (issue.code === 'invalid_key') {
      const reasons = issue.issues.map((inner) => inner.message).join('; ');
      return [`${formatPath(issue.path)}: invalid environment name: ${reasons}`];
    }
    return [`${formatPath(issue.path)}: ${issue.message}`];
  });
}

function dedupe(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}
