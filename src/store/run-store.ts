import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EnvName, RunId } from '../domain/ids.ts';
import { ACTIVE_STATES, type RunRecord, type RunState, TERMINAL_STATES } from '../domain/run.ts';
import type { Keys } from './keys.ts';
import { OUTBOX_KEEP_SECONDS, type OutboxAppend } from './outbox.ts';
import {
  CANCEL_RUN,
  CLAIM_ENVIRONMENT,
  FINISH_RUN,
  RELEASE_LOCK,
  RENEW_LEASE,
  RESUME_LEASE,
  TAKE_HOLD,
  TRANSITION_RUN,
  WITHDRAW_CLAIM,
} from './scripts.ts';

/** The calls the store makes; ioredis' Redis and Cluster both have them. */
export type RedisClient = Pick<Redis, 'eval' | 'hgetall' | 'get' | 'pttl'>;

export type ClaimResult =
  | { ok: true; staleRunFailed?: RunId }
  | { ok: false; holder: RunId }
  | { ok: false; unverified: true };

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

export type TransitionResult =
  | { ok: true; run: RunRecord }
  | { ok: false; reason: 'not_found' | 'wrong_state'; state?: RunState };

type RunDoc = Omit<RunRecord, 'state' | 'version' | 'reason' | 'updatedAt'>;

/**
 * The outbox entries a change appends in its own step (DESIGN §4a), computed from the record
 * as it will be written; appended only when the change succeeds.
 */
export type StepAppends = (next: RunRecord) => readonly OutboxAppend[];

export type CancelResult =
  | { ok: true; state: 'cancelled' | 'cancelling'; run: RunRecord }
  | { ok: false; state?: RunState };

const STALE_REASON =
  'The worker running this check stopped renewing its lease (crashed or killed); the run was ended.';

export class RunStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Atomically takes the environment for `run`, or says which run holds it. */
  async claimEnvironment(run: RunRecord, leaseMs: number): Promise<ClaimResult> {
    const reply = (await this.redis.eval(
      CLAIM_ENVIRONMENT,
      5,
      this.keys.lock(run.env),
      this.keys.current(run.env),
      this.keys.run(run.id),
      this.keys.withdrawn(run.id),
      this.keys.flag(run.env),
      run.id,
      String(leaseMs),
      JSON.stringify(docOf(run)),
      run.state,
      run.updatedAt,
      STALE_REASON,
      `${this.keys.prefix}:run:`,
    )) as [number, string, string?];
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
  async withdrawClaim(run: RunRecord, markerMs: number): Promise<boolean> {
    const reply = await this.redis.eval(
      WITHDRAW_CLAIM,
      4,
      this.keys.lock(run.env),
      this.keys.current(run.env),
      this.keys.run(run.id),
      this.keys.withdrawn(run.id),
      run.id,
      String(markerMs),
    );
    return reply === 1;
  }

  async get(id: RunId): Promise<RunRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.run(id));
    if (!hash.doc || !hash.state) return undefined;
    const stored = StoredRun.safeParse({ ...hash, doc: safeJson(hash.doc) });
    if (!stored.success) {
      throw new Error(
        `run ${id} in Redis is unreadable (${stored.error.issues[0]?.path.join('.')}: ${stored.error.issues[0]?.message}); it was not written by this version of pc-verify`,
      );
    }
    // The parts every reader relies on are checked; the rest is this module's own JSON.
    const doc = stored.data.doc as unknown as RunDoc;
    return {
      ...doc,
      state: stored.data.state,
      version: Number(hash.version),
      updatedAt: hash.updatedAt ?? doc.createdAt,
      ...(hash.reason ? { reason: hash.reason } : {}),
    };
  }

  /**
   * Moves a run from one of `from` to `to`, applying `change` to the record read just before.
   * Retries when another process changed the run in between; refuses when the state is wrong.
   */
  async transition(
    id: RunId,
    from: readonly RunState[],
    to: RunState,
    change: (run: RunRecord) => Partial<RunDoc> & { reason?: string } = () => ({}),
    appends?: StepAppends,
  ): Promise<TransitionResult> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      if (!from.includes(current.state)) return { ok: false, reason: 'wrong_state', state: current.state };
      const next = written(current, to, change(current), this.now());
      const outbox = this.#outbox(appends?.(next) ?? []);
      const reply = (await this.redis.eval(
        TRANSITION_RUN,
        3 + outbox.keys.length,
        this.keys.run(id),
        this.keys.lock(current.env),
        this.keys.outboxThreads,
        ...outbox.keys,
        String(current.version),
        from.join(','),
        to,
        JSON.stringify(docOf(next)),
        next.reason ?? '',
        next.updatedAt,
        id,
        ...outbox.args,
      )) as [number, string, string?];
      if (reply[0] === 1) return { ok: true, run: { ...next, version: Number(reply[1]) } };
      if (reply[1] === 'not_found') return { ok: false, reason: 'not_found' };
      if (reply[1] === 'wrong_state')
        return { ok: false, reason: 'wrong_state', state: reply[2] as RunState };
      // 'conflict': someone else moved the run between our read and our write; read again.
    }
    throw new Error(`run ${id}: too many concurrent changes`);
  }

  /**
   * Ends a run in one atomic step (see FINISH_RUN): from one of `from` to the terminal `to`,
   * with `change` applied to the record read just before, the result recorded and the audit
   * entry queued. Refused when it was ended already.
   */
  async finish(
    id: RunId,
    from: readonly RunState[],
    to: RunState,
    change: (run: RunRecord) => Partial<RunDoc> & { reason?: string },
    ending: (run: RunRecord) => RunEnding,
    appends?: StepAppends,
  ): Promise<FinishResult> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      if (!from.includes(current.state)) return { ok: false, reason: 'wrong_state', state: current.state };
      const next = written(current, to, change(current), this.now());
      const { summary, auditPayload } = ending(next);
      const outbox = this.#outbox(appends?.(next) ?? []);
      const reply = (await this.redis.eval(
        FINISH_RUN,
        8 + outbox.keys.length,
        this.keys.run(id),
        this.keys.lock(current.env),
        this.keys.recorded(id),
        this.keys.latest(current.env),
        this.keys.history(current.env),
        this.keys.envs,
        this.keys.auditPending(current.env),
        this.keys.outboxThreads,
        ...outbox.keys,
        String(current.version),
        from.join(','),
        to,
        JSON.stringify(docOf(next)),
        next.reason ?? '',
        next.updatedAt,
        id,
        JSON.stringify(summary),
        String(HISTORY_CAP),
        auditPayload,
        String(RECORDED_TTL_S),
        current.env,
        ...outbox.args,
      )) as [number, string, string?];
      if (reply[0] === 1) return { ok: true, run: { ...next, version: Number(reply[1]) } };
      if (reply[1] === 'conflict') continue;
      return {
        ok: false,
        reason: reply[1] as 'recorded' | 'not_found' | 'wrong_state',
        state: reply[2] as RunState,
      };
    }
    throw new Error(`run ${id}: too many concurrent changes`);
  }

  /**
   * Cancels a run (see CANCEL_RUN): `cancelled` when nothing about the flag is left to settle,
   * else `cancelling`. `idle`: states no worker holds. `appends` is asked for both outcomes;
   * the one the script decides on is appended with it.
   */
  async cancel(
    run: Pick<RunRecord, 'id'>,
    reason: string,
    idle: readonly RunState[],
    appends?: StepAppends,
  ): Promise<CancelResult> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.get(run.id);
      if (!current) return { ok: false };
      const now = this.now();
      const cancelled = written(current, 'cancelled', { reason }, now);
      const cancelling = written(current, 'cancelling', { reason }, now);
      const ifCancelled = this.#outbox(appends?.(cancelled) ?? []);
      const ifCancelling = this.#outbox(appends?.(cancelling) ?? []);
      const reply = (await this.redis.eval(
        CANCEL_RUN,
        4 + ifCancelled.keys.length + ifCancelling.keys.length,
        this.keys.run(run.id),
        this.keys.lock(current.env),
        this.keys.flag(current.env),
        this.keys.outboxThreads,
        ...ifCancelled.keys,
        ...ifCancelling.keys,
        ACTIVE_STATES.join(','),
        reason,
        cancelled.updatedAt,
        run.id,
        idle.join(','),
        String(current.version),
        String(OUTBOX_KEEP_SECONDS),
        String(ifCancelled.keys.length),
        String(ifCancelling.keys.length),
        ...ifCancelled.pairs,
        ...ifCancelling.pairs,
      )) as [number, string, string?];
      if (reply[0] === 1) {
        const state = reply[1] as 'cancelled' | 'cancelling';
        const next = state === 'cancelled' ? cancelled : cancelling;
        return { ok: true, state, run: { ...next, version: current.version + 1 } };
      }
      // 'conflict': the record changed between our read and the script; read it again.
      if (reply[1] !== 'conflict')
        return reply[2] ? { ok: false, state: reply[2] as RunState } : { ok: false };
    }
    throw new Error(`run ${run.id}: too many concurrent changes`);
  }

  /** The KEYS and ARGV of a script's outbox entries (see APPEND_OUTBOX): streams as KEYS, so Cluster sees them. */
  #outbox(appends: readonly OutboxAppend[]): { keys: string[]; pairs: string[]; args: string[] } {
    const keys = appends.map((a) => this.keys.outbox(a.key));
    const pairs = appends.flatMap((a) => [a.key, a.body]);
    return { keys, pairs, args: [String(OUTBOX_KEEP_SECONDS), String(appends.length), ...pairs] };
  }

  async renewLease(env: EnvName, id: RunId, leaseMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW_LEASE, 1, this.keys.lock(env), id, String(leaseMs))) === 1;
  }

  /** Takes or renews one job execution's hold on a run (see TAKE_HOLD): one execution per run at a time, so a re-queued stalled job and the reaper's reconcile job never both act; false while another has it. */
  async claimWork(id: RunId, token: string, ms: number): Promise<boolean> {
    return (await this.redis.eval(TAKE_HOLD, 1, this.keys.working(id), token, String(ms))) === 1;
  }

  /** Renews this execution's hold; false once it lapsed or went to another execution. */
  async renewWork(id: RunId, token: string, ms: number): Promise<boolean> {
    return (await this.redis.eval(RENEW_LEASE, 1, this.keys.working(id), token, String(ms))) === 1;
  }

  /** Lets go of a run's execution hold, if this execution still has it. */
  async releaseWork(id: RunId, token: string): Promise<void> {
    await this.redis.eval(RELEASE_LOCK, 1, this.keys.working(id), token);
  }

  async releaseLock(env: EnvName, id: RunId): Promise<boolean> {
    return (await this.redis.eval(RELEASE_LOCK, 1, this.keys.lock(env), id)) === 1;
  }

  /**
   * Changes a run's record without moving its state (phase results, the Slack place). Refused
   * when the state is not one of `allowed` — e.g. a run cancelled meanwhile.
   */
  async patch(
    id: RunId,
    allowed: readonly RunState[],
    change: (run: RunRecord) => Partial<RunDoc> & { reason?: string },
    appends?: StepAppends,
  ): Promise<TransitionResult> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      if (!allowed.includes(current.state)) return { ok: false, reason: 'wrong_state', state: current.state };
      const result = await this.transition(id, [current.state], current.state, change, appends);
      if (result.ok || result.reason === 'not_found') return result;
      // The state moved between the two reads: look again.
    }
    throw new Error(`run ${id}: too many concurrent changes`);
  }

  /** Takes the lease again for a run a worker picks up; false when it is finished or another run holds the lock. */
  async resumeLease(env: EnvName, id: RunId, leaseMs: number): Promise<boolean> {
    return (
      (await this.redis.eval(
        RESUME_LEASE,
        2,
        this.keys.lock(env),
        this.keys.run(id),
        id,
        String(leaseMs),
      )) === 1
    );
  }

  /** The newest run of the environment, finished or not. */
  async currentRunId(env: EnvName): Promise<RunId | undefined> {
    return ((await this.redis.get(this.keys.current(env))) as RunId | null) ?? undefined;
  }

  async lockHolder(env: EnvName): Promise<RunId | undefined> {
    return ((await this.redis.get(this.keys.lock(env))) as RunId | null) ?? undefined;
  }
}

const StoredRun = z.object({
  state: z.enum([...ACTIVE_STATES, ...TERMINAL_STATES]),
  version: z.string().regex(/^\d+$/),
  updatedAt: z.string().optional(),
  reason: z.string().optional(),
  doc: z.looseObject({
    id: z.string(),
    env: z.string(),
    createdAt: z.string(),
    requester: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('slack'), userId: z.string() }),
      z.object({ kind: z.literal('cli'), user: z.string() }),
    ]),
    phases: z.array(z.looseObject({ phase: z.number(), status: z.string(), checks: z.array(z.unknown()) })),
  }),
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The record as a script will write it, when its compare-and-set holds: the change applied, the
 * new state and time, the reason given (or the one it had) and the next version.
 */
function written(
  current: RunRecord,
  state: RunState,
  change: Partial<RunDoc> & { reason?: string },
  now: Date,
): RunRecord {
  const { reason, ...patch } = change;
  const { reason: _old, ...rest } = current;
  const kept = reason ?? current.reason;
  return {
    ...rest,
    ...patch,
    state,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    ...(kept ? { reason: kept } : {}),
  };
}

function docOf(run: RunRecord): RunDoc {
  const { state: _s, version: _v, reason: _r, updatedAt: _u, ...doc } = run;
  return doc;
}
