import { z } from 'zod';
import type { RunId } from '../domain/ids.ts';
import type { RunRecord, RunState } from '../domain/run.ts';
import { RUN_TRANSITIONS } from '../domain/run-transitions.ts';
import { FlagWordReply, replyOf } from './codec.ts';
import { OUTBOX_KEEP_SECONDS } from './outbox.ts';
import {
  type Change,
  CONFLICT,
  list,
  outboxArgs,
  type RunContext,
  retryOnConflict,
  type StepAppends,
  written,
} from './run-record.ts';
import { CANCEL_RUN, FINISH_RUN } from './run-scripts.ts';
import { evalStep, stepArgs, stepFrom } from './run-step.ts';

/** What ending a run records besides the run itself. */
export interface RunEnding {
  readonly summary: unknown;
  /** The audit entry, as its canonical payload (queued, then chained). */
  readonly auditPayload: string;
}

export type FinishResult =
  | { ok: true; run: RunRecord }
  | { ok: false; reason: 'recorded' | 'not_found' | 'wrong_state'; state?: RunState };

const HISTORY_CAP = 100;
/** Longer than any run lives. */
const RECORDED_TTL_S = 30 * 24 * 3600;

export type CancelResult =
  | { ok: true; state: 'cancelled' | 'cancelling'; run: RunRecord }
  | { ok: false; state?: RunState };

const States = z.enum(['cancelled', 'cancelling']);

/**
 * Ends a run in one atomic step (see FINISH_RUN): from one of `from` (within the table's
 * `finish` row) to the terminal `to`, with `change` applied to the record read just before,
 * the result recorded and the audit entry queued. Refused when it was ended already.
 */
export function finishRun(
  ctx: RunContext,
  id: RunId,
  from: readonly RunState[],
  to: RunState,
  change: Change,
  ending: (run: RunRecord) => RunEnding,
  appends?: StepAppends,
): Promise<FinishResult> {
  const rule = RUN_TRANSITIONS.finish;
  const allowed = from.filter((s) => (rule.from as readonly RunState[]).includes(s));
  return stepFrom(ctx, id, allowed, async (current) => {
    const next = written(current, to, change(current), ctx.now());
    const { summary, auditPayload } = ending(next);
    const reply = await evalStep(ctx, {
      lua: FINISH_RUN,
      name: 'finishRun',
      reply: FlagWordReply,
      keys: [
        ctx.keys.run(id),
        ctx.keys.lock(current.env),
        ctx.keys.recorded(id),
        ctx.keys.latest(current.env),
        ctx.keys.history(current.env),
        ctx.keys.envs,
        ctx.keys.auditPending(current.env),
        ctx.keys.outboxThreads,
      ],
      args: [
        ...stepArgs(current, allowed, next),
        JSON.stringify(summary),
        String(HISTORY_CAP),
        auditPayload,
        String(RECORDED_TTL_S),
        current.env,
        list(rule.to),
      ],
      appends: appends?.(next) ?? [],
    });
    if (reply[0] === 1) return { ok: true, run: { ...next, version: Number(reply[1]) } } as const;
    if (reply[1] === 'conflict') return CONFLICT;
    const reason = z.enum(['recorded', 'not_found', 'wrong_state']).parse(reply[1]);
    return { ok: false, reason, state: reply[2] as RunState };
  });
}

/**
 * Cancels a run (see CANCEL_RUN): `cancelled` when nothing about the flag is left to settle,
 * else `cancelling`. `idle`: states no worker holds. `appends` is asked for both outcomes;
 * the one the script decides on is appended with it.
 */
export function cancelRun(
  ctx: RunContext,
  run: Pick<RunRecord, 'id'>,
  reason: string,
  idle: readonly RunState[],
  appends?: StepAppends,
): Promise<CancelResult> {
  return retryOnConflict(run.id, async () => {
    const current = await ctx.get(run.id);
    if (!current) return { ok: false } as const;
    const now = ctx.now();
    const cancelled = written(current, 'cancelled', { reason }, now);
    const cancelling = written(current, 'cancelling', { reason }, now);
    const ifCancelled = outboxArgs(ctx.keys, appends?.(cancelled) ?? []);
    const ifCancelling = outboxArgs(ctx.keys, appends?.(cancelling) ?? []);
    const reply = replyOf(
      FlagWordReply,
      await ctx.redis.eval(
        CANCEL_RUN,
        4 + ifCancelled.keys.length + ifCancelling.keys.length,
        ctx.keys.run(run.id),
        ctx.keys.lock(current.env),
        ctx.keys.flag(current.env),
        ctx.keys.outboxThreads,
        ...ifCancelled.keys,
        ...ifCancelling.keys,
        list(RUN_TRANSITIONS.cancel.from),
        reason,
        cancelled.updatedAt,
        run.id,
        list(idle),
        String(current.version),
        String(OUTBOX_KEEP_SECONDS),
        String(ifCancelled.keys.length),
        String(ifCancelling.keys.length),
        ...ifCancelled.pairs,
        ...ifCancelling.pairs,
      ),
      'cancelRun',
    );
    if (reply[0] === 1) {
      const state = States.parse(reply[1]);
      const next = state === 'cancelled' ? cancelled : cancelling;
      return { ok: true, state, run: { ...next, version: current.version + 1 } } as const;
    }
    if (reply[1] === 'conflict') return CONFLICT;
    return reply[2] ? { ok: false, state: reply[2] as RunState } : { ok: false };
  });
}
