import { type EnvironmentConfig, envFilePath } from '../config/config.ts';
import { FLAG_VAR } from '../config/expect.ts';
import type { CheckId } from '../domain/check.ts';
import type { PhaseNumber } from '../domain/phase.ts';
import { describeAction } from '../hunter/create.ts';
import type { TargetAction } from '../hunter/port.ts';

export interface PlanStep {
  readonly phase: PhaseNumber;
  readonly check: CheckId;
  /** One line: an argv, an HTTP request, a query, a file edit or a login. */
  readonly does: string;
}

const SINCE = new Date('1970-01-01T00:00:00.000Z');

/**
 * What a run would do, command by command, without doing any of it (`plan <env>`). Built from
 * the same drivers the run uses, so the plan cannot drift from what runs.
 */
export function planRun(env: EnvironmentConfig): PlanStep[] {
  const cmd = (action: TargetAction) =>
    describeAction(env, action).replace(SINCE.toISOString(), '<phase start>');
  const url = (path: string) => `${env.api.baseUrl.replace(/\/+$/, '')}${path}`;
  const file = envFilePath(env.driver);
  const db = describeDatabase(env.database.url);
  const flag = (value: string) => [
    `edit ${file}: ${FLAG_VAR}=${value} (atomic, backup kept)`,
    cmd({ kind: 'apply' }),
    `poll GET ${url('/healthz')} until it answers`,
  ];
  const step = (phase: PhaseNumber, check: CheckId, does: string): PlanStep => ({ phase, check, does });
  return [
    step(0, 'env.vars', `read ${file}: the four HUNTER_PARTNER_CENTER_* variables (values never shown)`),
    step(0, 'env.vars', cmd({ kind: 'readEnv' })),
    step(0, 'db.migrate', cmd({ kind: 'migrate' })),
    step(0, 'db.table', `SQL (read-only) on ${db}: information_schema.columns of ${env.expect.table}`),
    ...flag('false').map((does) => step(1, 'flag.off', does)),
    step(1, 'health.off', `GET ${url('/healthz')}`),
    step(1, 'api.off', `POST ${url('/api/referrals/sync')} (Content-Type: application/json)`),
    step(1, 'task.off', cmd({ kind: 'celeryCall' })),
    step(1, 'task.off', cmd({ kind: 'celeryResult', taskId: '<task id>' })),
    step(1, 'logs.off', cmd({ kind: 'logs', since: SINCE })),
    step(2, 'auth.device_code', `device-code login at ${env.auth.authority} (code to the requester only)`),
    ...installSteps(env, cmd).map((does) => step(2, 'auth.cache_installed', does)),
    step(2, 'auth.silent', 'acquireTokenSilent for the signed-in account'),
    ...(env.policy.requireApproval
      ? [
          step(
            3,
            'auth.cache_installed',
            `${cmd({ kind: 'tokenCacheDigest' })}  (already the approved cache? then nothing)`,
          ),
          step(3, 'auth.cache_installed', cmd({ kind: 'stagedTokenCacheDigest' })),
          step(
            3,
            'auth.cache_installed',
            `${cmd({ kind: 'promoteTokenCache' })}  (the approved sign-in goes live)`,
          ),
          step(3, 'auth.cache_installed', cmd({ kind: 'tokenCacheDigest' })),
        ]
      : []),
    ...flag('true').map((does) => step(3, 'flag.on', does)),
    step(3, 'health.on', `GET ${url('/healthz')}`),
    step(3, 'api.on', `POST ${url('/api/referrals/sync')} (Content-Type: application/json)`),
    step(3, 'logs.on', cmd({ kind: 'logs', since: SINCE })),
    step(3, 'task.on', cmd({ kind: 'celeryResult', taskId: '<task id from api.on>' })),
  ];
}

/** Where the sign-in's cache goes: over the live one, or beside it until the approval. */
function installSteps(env: EnvironmentConfig, cmd: (action: TargetAction) => string): string[] {
  return env.policy.requireApproval
    ? [`${cmd({ kind: 'stageTokenCache' })}  < token cache on stdin`, cmd({ kind: 'stagedTokenCacheDigest' })]
    : [`${cmd({ kind: 'installTokenCache' })}  < token cache on stdin`, cmd({ kind: 'tokenCacheDigest' })];
}

export function renderPlan(env: EnvironmentConfig, steps: readonly PlanStep[]): string {
  const lines = [`Plan for ${env.name} (${env.tier}); nothing is executed:`];
  let phase: PhaseNumber | undefined;
  for (const s of steps) {
    if (s.phase !== phase) lines.push(`\nPhase ${s.phase}`);
    phase = s.phase;
    lines.push(`  ${s.check.padEnd(21)} ${s.does}`);
  }
  if (env.policy.requireApproval)
    lines.push(
      '\nBefore Phase 3: a second person (an approver, not the requester) must approve, shown the account that signed in; until then the new token cache waits beside the live one.',
    );
  if (env.policy.requireApproval && env.auth.allowedAccounts.length === 0)
    lines.push(
      `Recommended: set environments.${env.name}.auth.allowedAccounts to the account(s) Hunter may act as; any account can sign in now.`,
    );
  return lines.join('\n');
}

function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(database)';
  }
}
