import type { EnvName, RunId } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import { voiceOf } from '../outbox/run-announcer.ts';
import type { PhaseContext } from '../phases/context.ts';
import { auditCommand } from './audit-command.ts';
import type { BotServices } from './lifecycle-deps.ts';
import { stagedDigestOf } from './staged-cache.ts';

/** Opens an environment's Target for one driver action (the engine's, loaded only when needed). */
export type OpenTarget = (env: EnvName) => Promise<Pick<PhaseContext['target'], 'commands'> | undefined>;

/**
 * A sign-in staged for an approval that its run will never use — rejected, expired, cancelled,
 * failed, or its worker died — is removed from the api container: `.token_cache.pending` holds a
 * refresh token of an account nobody approved. Runs end in many places (a click in a web process,
 * the reaper, a worker), and some of those cannot reach Hunter, so every worker's reaper pass
 * looks instead, and a crash between an end and the removal only delays it to the next pass.
 * The run's end stands whatever happens here: a failed removal is logged, said once in the run's
 * thread, and tried again on the next pass.
 */
export async function discardLeftoverSignIn(s: BotServices, env: EnvName, open: OpenTarget): Promise<void> {
  const runId = await s.stagedSignIns.runOf(env);
  if (!runId) return;
  const run = await s.runs.get(runId);
  // Still going: its approval may yet come. A record gone from Redis will never be approved.
  if (run && !run.report) return;
  // Another run holds the environment and may be staging its own sign-in at the same path.
  const holder = await s.runs.lockHolder(env);
  if (holder && holder !== runId) return;
  const driver = s.config.environments.get(env)?.driver;
  if (driver?.kind === 'commands' && !driver.commands.discardStagedTokenCache)
    return failedOnce(s, env, runId, run, UNNAMED_DISCARD);
  const removed = await removeStaged(open, env, run ? stagedDigestOf(run) : undefined);
  if (!removed.ok) return failedOnce(s, env, runId, run, removed.why);
  if (!(await s.stagedSignIns.clear(env, runId))) return;
  if (removed.kind === 'absent') return;
  if (removed.kind === 'not_ours') {
    s.log.warn(
      { runId, env, seen: removed.digest.slice(0, 12) },
      'the staged sign-in is not the one this run staged: left in place',
    );
    return;
  }
  const what = removed.digest ? `sha256 ${removed.digest}` : 'its digest could not be read first';
  const detail = `the unapproved sign-in of run ${runId} was removed (.token_cache.pending, ${what})`;
  await auditCommand(s, env, 'pc-verify', 'login.staged_discarded', 'info', detail, runId);
  s.log.info({ runId, env }, 'staged sign-in removed: its run ended without its approval used');
}

const UNNAMED_DISCARD =
  'driver.commands.discardStagedTokenCache is not set: remove .token_cache.pending in the api by hand, and name that command in the config';

/** Long enough for `docker exec` or an ssh hop; short enough that a hung host does not stall every pass. */
const DISCARD_TIMEOUT_MS = 15_000;

type Removal =
  | { readonly ok: true; readonly kind: 'removed'; readonly digest?: string }
  | { readonly ok: true; readonly kind: 'absent' }
  | { readonly ok: true; readonly kind: 'not_ours'; readonly digest: string }
  | { readonly ok: false; readonly why: string };

/**
 * Compare, then delete: a file whose digest is not the one this run staged belongs to someone
 * else (a later run that staged between the lock check and here) and is left alone. Why a step
 * failed, in one line (redacted by the driver); never thrown.
 */
async function removeStaged(open: OpenTarget, env: EnvName, staged: string | undefined): Promise<Removal> {
  try {
    const target = await open(env);
    if (!target) return { ok: false, why: `environment ${env} is not in this process's config` };
    const signal = AbortSignal.timeout(DISCARD_TIMEOUT_MS);
    const read = await target.commands.run({ kind: 'stagedTokenCacheDigest' }, { signal });
    const digest = read.ok ? (read.stdout.trim().split(/\s+/)[0] ?? '') : undefined;
    if (read.ok && staged && digest !== staged) return { ok: true, kind: 'not_ours', digest: digest ?? '' };
    // sha256sum says so when the file is not there: nothing to remove. Any other failure: remove anyway.
    if (!read.ok && /no such file/i.test(`${read.stderr} ${read.message}`))
      return { ok: true, kind: 'absent' };
    const res = await target.commands.run({ kind: 'discardStagedTokenCache' }, { signal });
    if (!res.ok) return { ok: false, why: res.message };
    return { ok: true, kind: 'removed', ...(digest ? { digest } : {}) };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** The environment's own driver, loaded only when a staged sign-in is left: the reaper stays light. */
export function engineTarget(s: Pick<BotServices, 'config'>): OpenTarget {
  return async (name) => {
    const env = s.config.environments.get(name);
    if (!env) return undefined;
    const { openTarget } = await import('../engine/prepare-session.ts');
    return (await openTarget(env)).target;
  };
}

async function failedOnce(
  s: BotServices,
  env: EnvName,
  runId: RunId,
  run: RunRecord | undefined,
  why: string,
): Promise<void> {
  if (!(await s.stagedSignIns.firstFailure(env))) return;
  s.log.warn(
    { runId, env, why },
    'could not remove the staged sign-in of an ended run (.token_cache.pending): tried again on the next reaper pass',
  );
  if (run)
    await voiceOf(s, run).reply(
      coded(message('thread.note.staged.discardFailed', { quoted: why })),
      'warning',
    );
}
