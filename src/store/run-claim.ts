import { z } from 'zod';
import type { RunId } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import { RUN_TRANSITIONS } from '../domain/run-transitions.ts';
import { OneOrZero, replyOf } from './codec.ts';
import { docOf, list, type RunContext, type StepAppends } from './run-record.ts';
import { CLAIM_ENVIRONMENT, WITHDRAW_CLAIM } from './run-scripts.ts';
import { evalStep } from './run-step.ts';

export type ClaimResult =
  | { ok: true; staleRunFailed?: RunId }
  | { ok: false; holder: RunId }
  | { ok: false; unverified: true };

/** What a claim writes with the run: its audit entry (canonical payload, queued) and its notices. */
export interface ClaimStart {
  readonly auditPayload?: string;
  readonly appends?: StepAppends;
}

const STALE_REASON =
  'The worker running this check stopped renewing its lease (crashed or killed); the run was ended.';

const ClaimReply = z.union([
  z.tuple([z.literal(1), z.string()]),
  z.tuple([z.literal(0), z.string()], z.string()),
]);

/**
 * Atomically takes the environment for `run`, or says which run holds it; with it, the start's
 * audit entry is queued and its notices appended, so a crash right after leaves a queued run
 * the reaper hands to a worker.
 */
export async function claimEnvironment(
  ctx: RunContext,
  run: RunRecord,
  leaseMs: number,
  start: ClaimStart = {},
): Promise<ClaimResult> {
  const reply = await evalStep(ctx, {
    lua: CLAIM_ENVIRONMENT,
    name: 'claimEnvironment',
    reply: ClaimReply,
    keys: [
      ...claimKeys(ctx, run),
      ctx.keys.flag(run.env),
      ctx.keys.auditPending(run.env),
      ctx.keys.outboxThreads,
    ],
    args: [
      run.id,
      String(leaseMs),
      JSON.stringify(docOf(run)),
      run.state,
      run.updatedAt,
      STALE_REASON,
      `${ctx.keys.prefix}:run:`,
      list(RUN_TRANSITIONS.claim.to),
      list(RUN_TRANSITIONS.failStale.from),
      start.auditPayload ?? '',
    ],
    appends: start.appends?.(run) ?? [],
  });
  if (reply[0] === 1) return reply[1] ? { ok: true, staleRunFailed: reply[1] as RunId } : { ok: true };
  if (reply[2] === 'unverified') return { ok: false, unverified: true };
  return { ok: false, holder: reply[1] as RunId };
}

/**
 * Takes back a start its requester was told did not happen: its claim may have landed (or
 * still land) although the command failed. Nothing else may have touched the run yet — it
 * was never enqueued. `markerMs`: how long a late claim is still refused. True when a landed
 * claim was removed.
 */
export async function withdrawClaim(ctx: RunContext, run: RunRecord, markerMs: number): Promise<boolean> {
  const reply = await ctx.redis.eval(
    WITHDRAW_CLAIM,
    6,
    ...claimKeys(ctx, run),
    // The claim's root notice: a conversation's key is its run's id.
    ctx.keys.outbox(run.id),
    ctx.keys.outboxThreads,
    run.id,
    String(markerMs),
  );
  return replyOf(OneOrZero, reply, 'withdrawClaim') === 1;
}

/** What a claim holds and its withdrawal takes back: the lock, the current run, the run, the withdrawn marker. */
function claimKeys(ctx: RunContext, run: RunRecord): string[] {
  return [
    ctx.keys.lock(run.env),
    ctx.keys.current(run.env),
    ctx.keys.run(run.id),
    ctx.keys.withdrawn(run.id),
  ];
}
