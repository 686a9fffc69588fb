import type { EnvName } from '../domain/ids.ts';
import { isTerminal, type RunRecord } from '../domain/run.ts';
import { endedReport, finishRun } from './finish.ts';
import type { BotServices } from './services.ts';

export const LOST_WORKER =
  'The worker running this run stopped renewing its lease (crashed or killed) and nobody picked it up again; the run was ended. Start it again.';
export const NO_WORKER =
  'No worker picked this run up before its lease ran out: is a `pc-verify serve --role worker` (or `all`) process running? Start it again.';
export const APPROVAL_LAPSED =
  'Nobody approved Phase 3 within the approval time (approvalTtl); the run expired.';

/**
 * Ends runs that nobody is running any more, when noticed: the environment's current run is
 * active but no longer holds the lock (its worker died and the lease ran out), or it was
 * cancelled or failed without a result (its worker died before recording it). Any process
 * may call this; `finishRun` makes sure a run ends once.
 */
export async function reapEnvironment(s: BotServices, env: EnvName, settleMs = 30_000): Promise<void> {
  const id = await s.runs.currentRunId(env);
  const run = id ? await s.runs.get(id) : undefined;
  if (!run || run.report) return;
  if (!isTerminal(run.state)) {
    if ((await s.runs.lockHolder(env)) === run.id) return;
    const [state, reason] =
      run.state === 'queued'
        ? (['failed', NO_WORKER] as const)
        : run.state === 'awaiting_approval'
          ? (['expired', APPROVAL_LAPSED] as const)
          : (['failed', LOST_WORKER] as const);
    // Only if nothing moved it meanwhile: a cancel releases the lock too, a moment before this
    // pass read it, and must not end up reported as a lost worker.
    await finishRun(s, run.id, endedReport(s, run, state, reason), {
      threadNote: `:warning: ${reason}`,
      ifStill: run.state,
    });
    return;
  }
  // Terminal without a report: give its worker time to record the end itself first.
  if (s.now().getTime() - Date.parse(run.updatedAt) < settleMs) return;
  const reason = run.reason ?? endedWords(run);
  await finishRun(s, run.id, endedReport(s, run, run.state, reason), { threadNote: `:no_entry: ${reason}` });
}

function endedWords(run: RunRecord): string {
  return run.state === 'cancelled' ? 'The run was cancelled.' : LOST_WORKER;
}

/** Reaps every configured environment, on an interval, until stopped. */
export function startReaper(s: BotServices, everyMs: number): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    Promise.all([...s.config.environments.keys()].map((env) => reapEnvironment(s, env)))
      .catch((error: unknown) => s.log.warn({ err: error }, 'reaper pass failed'))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
