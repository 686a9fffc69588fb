import { type EnvironmentConfig, envFilePath } from '../config/config.ts';
import { FLAG_VAR } from '../config/expect.ts';
import type { CheckId } from '../domain/check.ts';
import type { PhaseNumber } from '../domain/phase.ts';
import { describeAction } from '../hunter/create.ts';
import type { TargetAction } from '../hunter/port.ts';
import { type Translate, translator } from '../i18n/index.ts';

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
export function planRun(env: EnvironmentConfig, t: Translate = wordsOf(env)): PlanStep[] {
  const cmd = (action: TargetAction) =>
    describeAction(env, action, t).replaceAll(SINCE.toISOString(), t('cli.plan.phaseStart'));
  const url = (path: string) => `${env.api.baseUrl.replace(/\/+$/, '')}${path}`;
  const file = envFilePath(env.driver);
  const db = describeDatabase(env.database.url, t);
  const flag = (value: string) => [
    t('cli.plan.editFlag', { file, assignment: `${FLAG_VAR}=${value}` }),
    cmd({ kind: 'apply' }),
    t('cli.plan.pollHealth', { url: url('/healthz') }),
  ];
  const step = (phase: PhaseNumber, check: CheckId, does: string): PlanStep => ({ phase, check, does });
  return [
    step(0, 'env.vars', t('cli.plan.readVars', { file })),
    step(0, 'env.vars', cmd({ kind: 'readEnv' })),
    step(0, 'db.migrate', cmd({ kind: 'migrate' })),
    step(0, 'db.table', t('cli.plan.query', { db, table: env.expect.table })),
    ...flag('false').map((does) => step(1, 'flag.off', does)),
    step(1, 'health.off', `GET ${url('/healthz')}`),
    step(1, 'api.off', `POST ${url('/api/referrals/sync')} (Content-Type: application/json)`),
    step(1, 'task.off', cmd({ kind: 'celeryCall' })),
    step(1, 'task.off', cmd({ kind: 'celeryResult', taskId: t('cli.plan.taskId') })),
    step(1, 'logs.off', cmd({ kind: 'logs', since: SINCE })),
    step(2, 'auth.device_code', t('cli.plan.deviceCode', { authority: env.auth.authority })),
    ...installSteps(env, cmd, t).map((does) => step(2, 'auth.cache_installed', does)),
    step(2, 'auth.silent', t('cli.plan.silent')),
    ...(env.policy.requireApproval
      ? [
          step(
            3,
            'auth.cache_installed',
            t('cli.plan.alreadyApproved', { command: cmd({ kind: 'tokenCacheDigest' }) }),
          ),
          step(3, 'auth.cache_installed', cmd({ kind: 'stagedTokenCacheDigest' })),
          step(
            3,
            'auth.cache_installed',
            t('cli.plan.promote', { command: cmd({ kind: 'promoteTokenCache' }) }),
          ),
          step(3, 'auth.cache_installed', cmd({ kind: 'tokenCacheDigest' })),
        ]
      : []),
    ...flag('true').map((does) => step(3, 'flag.on', does)),
    step(3, 'health.on', `GET ${url('/healthz')}`),
    step(3, 'api.on', `POST ${url('/api/referrals/sync')} (Content-Type: application/json)`),
    step(3, 'logs.on', cmd({ kind: 'logs', since: SINCE })),
    step(3, 'task.on', cmd({ kind: 'celeryResult', taskId: t('cli.plan.taskIdFromApi') })),
  ];
}

/** Where the sign-in's cache goes: over the live one, or beside it until the approval. */
function installSteps(env: EnvironmentConfig, cmd: (action: TargetAction) => string, t: Translate): string[] {
  const onStdin = (action: TargetAction) => t('cli.plan.cacheOnStdin', { command: cmd(action) });
  return env.policy.requireApproval
    ? [onStdin({ kind: 'stageTokenCache' }), cmd({ kind: 'stagedTokenCacheDigest' })]
    : [onStdin({ kind: 'installTokenCache' }), cmd({ kind: 'tokenCacheDigest' })];
}

/** The deployment's words (the config's `language`). */
function wordsOf(env: EnvironmentConfig): Translate {
  return translator(env.language ?? 'en');
}

export function renderPlan(env: EnvironmentConfig, steps: readonly PlanStep[], t = wordsOf(env)): string {
  const lines = [t('cli.plan.heading', { env: env.name, tier: env.tier })];
  let phase: PhaseNumber | undefined;
  for (const s of steps) {
    if (s.phase !== phase) lines.push(`\n${t('cli.plan.phase', { phase: s.phase })}`);
    phase = s.phase;
    lines.push(`  ${s.check.padEnd(21)} ${s.does}`);
  }
  if (env.policy.requireApproval) lines.push(`\n${t('cli.plan.approval')}`);
  if (env.policy.requireApproval && env.auth.allowedAccounts.length === 0)
    lines.push(t('cli.plan.pinAccounts', { env: env.name }));
  return lines.join('\n');
}

function describeDatabase(url: string, t: Translate): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return t('cli.plan.unknownDatabase');
  }
}
