import type { z } from 'zod';
import type { RunId } from '../domain/ids.ts';
import type { RunRecord, RunState } from '../domain/run.ts';
import { replyOf } from './codec.ts';
import type { OutboxAppend } from './outbox.ts';
import { type CONFLICT, docOf, list, outboxArgs, type RunContext, retryOnConflict } from './run-record.ts';

/**
 * How one step on a run is written (docs/architecture.md): a script that changes the run only
 * if it is still as read, retried from a fresh read while other writers win.
 */

/** Why a step did not write: the run is gone, or in a state the step may not move from. */
export type Refusal = { ok: false; reason: 'not_found' | 'wrong_state'; state?: RunState };

/**
 * A step from one of `from`: reads the run (again after each lost compare-and-set), refuses when
 * it is gone or in another state, and else lets `write` try its script against the version read.
 */
export function stepFrom<T>(
  ctx: Pick<RunContext, 'get'>,
  id: RunId,
  from: readonly RunState[],
  write: (current: RunRecord) => Promise<T | typeof CONFLICT>,
): Promise<T | Refusal> {
  return retryOnConflict(id, async () => {
    const current = await ctx.get(id);
    if (!current) return { ok: false, reason: 'not_found' } as const;
    if (!from.includes(current.state))
      return { ok: false, reason: 'wrong_state', state: current.state } as const;
    return write(current);
  });
}

/** One call of a run script and the outbox entries its step appends (see APPEND_OUTBOX). */
export interface StepScript<S extends z.ZodType> {
  readonly lua: string;
  /** Named in the error when the reply does not fit `reply`. */
  readonly name: string;
  readonly reply: S;
  readonly keys: readonly string[];
  readonly args: readonly string[];
  readonly appends: readonly OutboxAppend[];
}

/** Runs `step`: its KEYS then the entries' streams, its ARGV then the entries; the reply checked. */
export async function evalStep<S extends z.ZodType>(
  ctx: Pick<RunContext, 'redis' | 'keys'>,
  step: StepScript<S>,
): Promise<z.output<S>> {
  const outbox = outboxArgs(ctx.keys, step.appends);
  const reply = await ctx.redis.eval(
    step.lua,
    step.keys.length + outbox.keys.length,
    ...step.keys,
    ...outbox.keys,
    ...step.args,
    ...outbox.args,
  );
  return replyOf(step.reply, reply, step.name);
}

/**
 * The ARGV a compare-and-set script starts with: the version read, the states it may move from,
 * and the record as it will be written (`next`, from `written`).
 */
export function stepArgs(current: RunRecord, from: readonly RunState[], next: RunRecord): string[] {
  return [
    String(current.version),
    list(from),
    next.state,
    JSON.stringify(docOf(next)),
    next.reason ?? '',
    next.updatedAt,
    current.id,
  ];
}
