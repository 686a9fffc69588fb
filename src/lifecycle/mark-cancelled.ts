import type { RunRecord, RunState } from '../domain/run.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import type { CancelResult } from '../store/run-store.ts';
import type { BotServices } from './lifecycle-deps.ts';

/**
 * Cancels a run in the store (the cancel command, the kill switch): `cancelled`, or
 * `cancelling` while its flag is left to settle. The root message says so from the same step,
 * so the chat shows the cancel even when the process dies before the run's end is recorded
 * (the reaper or the worker records that, with its own note). `idle`: states no worker holds.
 */
export async function markCancelled(
  s: BotServices,
  run: Pick<RunRecord, 'id'>,
  reason: string,
  idle: readonly RunState[],
): Promise<CancelResult> {
  const notices = stepNotices(s.notifier, (next) => [{ kind: 'root', run: next }]);
  const moved = await s.runs.cancel(run, reason, idle, notices.appends);
  if (moved.ok) await notices.told(moved.run);
  return moved;
}
