import type { EnvName } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import type { FlagLedger } from '../phases/context.ts';
import type { FlagOwner } from '../store/flag-record.ts';
import type { BotServices } from './lifecycle-deps.ts';

export interface LedgerOptions {
  readonly env: EnvName;
  readonly owner: FlagOwner;
  /** Who caused it: the run's requester, or the person who pulled the kill switch. */
  readonly by: string;
  /** The intent was refused (the run lost the environment): stop acting at once. */
  readonly onFenced?: () => void;
  /** False when this worker may no longer hold its job (a stale lock renewal): no flag write. */
  readonly mayAct?: () => boolean;
}

/**
 * The flag record in Redis as the phases' ledger. An intent is refused to a run that no longer
 * holds the environment's lock — the fencing token of every flag write — and the run stops.
 */
export function redisLedger(s: BotServices, options: LedgerOptions): FlagLedger {
  const { env, owner } = options;
  const at = () => s.now().toISOString();
  let fenced = false;
  const refuse = () => {
    fenced = true;
    options.onFenced?.();
    return false;
  };
  return {
    async intend(on) {
      // Checked at the write itself, not only by the guard's timer: a process frozen past its
      // job lock (GC, a paused VM) wakes with the write next, before any timer runs.
      if (options.mayAct && !options.mayAct()) return refuse();
      const ok = await s.flags.recordIntent(env, {
        desired: on ? 'on' : 'off',
        owner,
        by: options.by,
        at: at(),
      });
      return ok || refuse();
    },
    async observed(on) {
      await s.flags.recordObserved(env, owner, on ? 'on' : 'off', at());
    },
    async mayBeOn() {
      const record = await s.flags.get(env);
      if (!record || !sameOwner(record.owner, owner)) return false;
      return record.desired === 'on' || record.observed !== 'off';
    },
    fenced: () => fenced,
    async unverified(why) {
      await s.flags.markUnverified(env, owner, at(), why);
    },
  };
}

function sameOwner(a: FlagOwner, b: FlagOwner): boolean {
  return a.kind === 'run' && b.kind === 'run'
    ? a.runId === b.runId
    : a.kind === 'kill' && b.kind === 'kill' && a.offId === b.offId;
}

/**
 * The run's own intent is the last word on the flag, and it is not verified OFF: the flag may be
 * ON, or is mid-change. Such a run is never just ended; it is reconciled (docs/architecture.md#the-flag-record).
 */
export async function flagMayBeOnBy(
  s: Pick<BotServices, 'flags'>,
  run: Pick<RunRecord, 'id' | 'env'>,
): Promise<boolean> {
  const record = await s.flags.get(run.env);
  if (record?.owner.kind !== 'run' || record.owner.runId !== run.id) return false;
  return record.desired === 'on' || record.observed !== 'off';
}
