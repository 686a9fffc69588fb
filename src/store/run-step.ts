import type { z } from 'zod';
import type { RunId } from '../domain/ids.ts';
import type { RunRecord, RunState } from '../domain/run.ts';
import { replyOf } from './codec.ts';
import type { OutboxAppend } from './outbox.ts';
import { docOf, list, outboxArgs, type RunContext } from './run-record.ts';

/**
 * How one step on a run is written (docs/architecture.md): a script that changes the run only
 * if it is still as read, retried from a fresh read while other writers win.
 */

/** Said when a run changed under every one of a caller's attempts. */
export class TooManyChanges extends Error {
  readonly code = 'store.contended';
}

/** A compare-and-set lost to another writer: read again and retry. */
export const CONFLICT = Symbol('conflict');

/**
 * The one retry loop of the store's compare-and-set operations: each attempt reads the run,
 * computes its change and lets a script write it only if the run is still as read; an attempt
 * that lost to another writer says CONFLICT and the loop reads again.
 */
export async function retryOnConflict<T>(id: RunId, attempt: () => Promise<T | typeof CONFLICT>): Promise<T> {
  for (let tries = 0; tries < 20; tries++) {
    const result = await attempt();
    if (result !== CONFLICT) return result;
  }
  throw new TooManyChanges(`run ${id}: too many concurrent changes; try again`);
}

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
