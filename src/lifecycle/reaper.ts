import type { EnvName } from '../domain/ids.ts';
import { isTerminal, type RunRecord } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import { endRun } from './finish-run.ts';
import { flagMayBeOnBy } from './flag-ledger.ts';
import { discardLeftoverSignIn, engineTarget } from './leftover-sign-in.ts';
import type { BotServices } from './lifecycle-deps.ts';
import type { JobData } from './run-queue.ts';
import { resumeWhenOpen } from './window-wait.ts';

/** Why the reaper ended a run: coded messages (src/i18n/coded.ts), worded where they are shown. */
export const LOST_WORKER = coded(message('thread.note.lostWorker'));
export const NO_WORKER = coded(message('thread.note.noWorker'));
export const APPROVAL_LAPSED = coded(message('thread.note.approvalLapsed'));
export const CONFIRMATION_LAPSED = coded(message('thread.note.confirmationLapsed'));

/**
 * Ends runs that nobody is running any more, when noticed: the environment's current run is
 * active but no longer holds the lock (its worker died and the lease ran out), or it was
 * cancelled or failed without a result (its worker died before recording it). Any process
 * may call this; `finishRun` makes sure a run ends once.
 */
export interface ReconcileHandoff {
  readonly enqueue: (job: JobData) => Promise<void>;
  /** Adds the job unless it exists; true when added (see enqueueIfAbsent). */
  readonly requeue?: (job: JobData) => Promise<boolean>;
  /** The lease a worker gets to settle the flag. */
  readonly leaseMs: number;
}

export async function reapEnvironment(
  s: BotServices,
  env: EnvName,
  settleMs = 30_000,
  reconcile?: ReconcileHandoff,
): Promise<void> {
  // Audit entries queued by a run's end whose process died before chaining them.
  await s.audit.flushPending(env);
  const id = await s.runs.currentRunId(env);
  const run = id ? await s.runs.get(id) : undefined;
  if (!run || run.report) return;
  if (!isTerminal(run.state)) {
    // The approval time runs on the lifecycle's clock; the lease only backs it up.
    const lapsed = waitLapsed(s, run);
    if (lapsed) {
      await endRun(s, run, { state: 'expired', reason: lapsed, tone: 'warning', ifStill: run.state });
      return;
    }
    // docs/architecture.md#change-windows: a run waiting for its window is not lost; it is queued when it opens.
    if (run.state === 'awaiting_window') return reconcile ? resumeWhenOpen(s, run, reconcile) : undefined;
    if ((await s.runs.lockHolder(env)) === run.id) return;
    // Its worker and its job are gone while the flag may be half-switched: never just "failed".
    // The environment is taken back for it and a worker settles the flag (docs/architecture.md#the-flag-record).
    if (reconcile && (run.state === 'cancelling' || (await flagMayBeOnBy(s, run)))) {
      if (await s.runs.resumeLease(env, run.id, reconcile.leaseMs)) {
        s.log.warn(
          { runId: run.id, env, state: run.state },
          'run lost its worker mid flag change: reconciling',
        );
        await reconcile.enqueue({
          kind: 'run',
          runId: run.id,
          step: 'reconcile',
          nonce: String(run.version),
        });
      }
      return;
    }
    if (run.state === 'queued' && reconcile && (await requeueClaimed(s, run, reconcile))) return;
    const [state, reason] =
      run.state === 'queued'
        ? (['failed', NO_WORKER] as const)
        : run.state === 'awaiting_approval'
          ? (['expired', APPROVAL_LAPSED] as const)
          : run.state === 'awaiting_confirmation'
            ? (['expired', CONFIRMATION_LAPSED] as const)
            : (['failed', LOST_WORKER] as const);
    // Only if nothing moved it meanwhile: a cancel releases the lock too, a moment before this
    // pass read it, and must not end up reported as a lost worker.
    await endRun(s, run, { state, reason, tone: 'warning', ifStill: run.state });
    return;
  }
  // Terminal without a report: give its worker time to record the end itself first.
  if (s.now().getTime() - Date.parse(run.updatedAt) < settleMs) return;
  const reason = run.reason ?? endedWords(run);
  await endRun(s, run, { state: run.state, reason, tone: 'stopped' });
}

/**
 * A claimed run whose job never reached the queue (its process died between the claim and the
 * enqueue) is queued now, once, and holds its environment again; a run whose job is there but
 * no worker took it is left to fail as before.
 */
async function requeueClaimed(s: BotServices, run: RunRecord, reconcile: ReconcileHandoff): Promise<boolean> {
  const step = run.purpose === 'login' ? 'login' : run.outageConfirmedBy ? 'confirmed' : 'start';
  if (!reconcile.requeue || !(await reconcile.requeue({ kind: 'run', runId: run.id, step }))) return false;
  await s.runs.resumeLease(run.env, run.id, reconcile.leaseMs);
  s.log.warn({ runId: run.id, env: run.env }, 'claimed run had no job: queued it');
  return true;
}

/** A wait for a person that ran out on the lifecycle's clock: why, or undefined. */
function waitLapsed(s: BotServices, run: RunRecord): string | undefined {
  const now = s.now().getTime();
  if (run.state === 'awaiting_approval' && run.approval && now > Date.parse(run.approval.expiresAt))
    return APPROVAL_LAPSED;
  const ttl = s.config.environments.get(run.env)?.policy.approvalTtl;
  // The question is asked as the run enters the state; nothing else changes the run meanwhile.
  if (run.state === 'awaiting_confirmation' && ttl !== undefined && now > Date.parse(run.updatedAt) + ttl)
    return CONFIRMATION_LAPSED;
  return undefined;
}

function endedWords(run: RunRecord): string {
  return run.state === 'cancelled' ? coded(message('thread.note.runCancelled')) : LOST_WORKER;
}

/**
 * Reaps every configured environment, on an interval, until stopped; and removes the staged
 * sign-in a run left when it ended without its approval used (leftover-sign-in.ts).
 */
export function startReaper(s: BotServices, everyMs: number, reconcile?: ReconcileHandoff): () => void {
  const envs = () => [...s.config.environments.keys()];
  const reap = onePassAtATime(() =>
    Promise.all(envs().map((env) => reapEnvironment(s, env, undefined, reconcile))),
  );
  // Apart from the reaping: a Hunter slow to answer must not hold up expiries and reconciles.
  const open = engineTarget(s);
  const discard = onePassAtATime(() => Promise.all(envs().map((env) => discardLeftoverSignIn(s, env, open))));
  const timer = setInterval(() => {
    reap().catch((error: unknown) => s.log.warn({ err: error }, 'reaper pass failed'));
    discard().catch((error: unknown) => s.log.warn({ err: error }, 'staged sign-in pass failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A pass that is skipped while the previous one still runs. */
function onePassAtATime(pass: () => Promise<unknown>): () => Promise<void> {
  let busy = false;
  return async () => {
    if (busy) return;
    busy = true;
    try {
      await pass();
    } finally {
      busy = false;
    }
  };
}
