import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type RunId, SlackUserIdSchema } from '../domain/ids.ts';
import {
  ACTIVE_STATES,
  type Approval,
  type RunRecord,
  type RunState,
  TERMINAL_STATES,
} from '../domain/run.ts';
import { parseValue, readJson } from './codec.ts';
import type { Keys } from './keys.ts';
import { OUTBOX_KEEP_SECONDS, type OutboxAppend } from './outbox.ts';

/** The calls the store makes; ioredis' Redis and Cluster both have them. */
export type RedisClient = Pick<Redis, 'eval' | 'hgetall' | 'get' | 'pttl'>;

/** What the run store's operations share: the connection, the keys, the clock and a read of a run. */
export interface RunContext {
  readonly redis: RedisClient;
  readonly keys: Keys;
  readonly now: () => Date;
  readonly get: (id: RunId) => Promise<RunRecord | undefined>;
}

/** An operation's parameters after the context: what the RunStore's method of the same name takes. */
export type AfterContext<F> = F extends (ctx: RunContext, ...rest: infer P) => unknown ? P : never;

/**
 * The outbox entries a change appends in its own step, computed from the record as it will be
 * written; appended only when the change succeeds.
 */
export type StepAppends = (next: RunRecord) => readonly OutboxAppend[];

/** A table row's states, as the scripts take them: a comma list. */
export const list = (states: readonly RunState[]): string => states.join(',');

/** The KEYS and ARGV of a script's outbox entries (see APPEND_OUTBOX): streams as KEYS, so Cluster sees them. */
export function outboxArgs(
  keys: Keys,
  appends: readonly OutboxAppend[],
): { keys: string[]; pairs: string[]; args: string[] } {
  const streams = appends.map((a) => keys.outbox(a.key));
  const pairs = appends.flatMap((a) => [a.key, a.body]);
  return { keys: streams, pairs, args: [String(OUTBOX_KEEP_SECONDS), String(appends.length), ...pairs] };
}

/** The part of a run kept as JSON in its hash's `doc` field; the rest are fields scripts test. */
export type RunDoc = Omit<RunRecord, 'state' | 'version' | 'reason' | 'updatedAt' | 'approvals'>;

/** What a transition changes besides the state: fields of the record, and why. */
export type RunChange = Partial<RunDoc> & { reason?: string };

/** A transition's change, computed from the record read just before it. */
export type Change = (run: RunRecord) => RunChange;

const RequesterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slack'), userId: z.string() }),
  z.object({ kind: z.literal('cli'), user: z.string() }),
]);

/** The parts of the doc every reader relies on; the rest is this module's own JSON. */
const RunDocSchema = z.looseObject({
  id: z.string(),
  env: z.string(),
  createdAt: z.string(),
  requester: RequesterSchema,
  ticket: z.object({ id: z.string(), url: z.string().optional() }).optional(),
  phases: z.array(z.looseObject({ phase: z.number(), status: z.string(), checks: z.array(z.unknown()) })),
  /** The reaper resumes a run waiting for its change window from this (docs/architecture.md#change-windows). */
  windowOpensAt: z.string().optional(),
});

const RunFields = z.object({
  state: z.enum([...ACTIVE_STATES, ...TERMINAL_STATES]),
  version: z.string().regex(/^\d+$/),
  updatedAt: z.string().optional(),
  reason: z.string().optional(),
});

/**
 * The run's approvals, a hash field of their own that only the approve script writes (so it
 * can refuse a second Approve by the same person); groups are a comma list there.
 */
const StoredApprovals = z.array(
  z.object({ by: SlackUserIdSchema, at: z.string(), groups: z.string() }).transform((a) => ({
    by: a.by,
    at: a.at,
    groups: a.groups === '' ? [] : a.groups.split(','),
  })),
);

/** One approval as the approve script stores it. */
export function storedApproval(approval: Approval): string {
  return JSON.stringify({ by: approval.by, at: approval.at, groups: approval.groups.join(',') });
}

/** A run's hash as read back (HGETALL), or undefined when there is none. */
export function readRun(hash: Record<string, string>, key: string): RunRecord | undefined {
  if (!hash.doc || !hash.state) return undefined;
  const fields = parseValue(RunFields, hash, key);
  // Checked by RunDocSchema where readers rely on it; the remaining fields are written only by
  // docOf below, from a RunRecord.
  const doc = readJson(RunDocSchema, hash.doc, `${key} (doc)`) as unknown as RunDoc;
  const approvals = hash.approvals ? readJson(StoredApprovals, hash.approvals, `${key} (approvals)`) : [];
  return {
    ...doc,
    ...(approvals.length > 0 ? { approvals } : {}),
    state: fields.state,
    version: Number(fields.version),
    updatedAt: fields.updatedAt ?? doc.createdAt,
    ...(fields.reason ? { reason: fields.reason } : {}),
  };
}

/**
 * The record as a script will write it, when its compare-and-set holds: the change applied, the
 * new state and time, the reason given (or the one it had) and the next version.
 */
export function written(current: RunRecord, state: RunState, change: RunChange, now: Date): RunRecord {
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

export function docOf(run: RunRecord): RunDoc {
  const { state: _s, version: _v, reason: _r, updatedAt: _u, approvals: _a, ...doc } = run;
  return doc;
}

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
