import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keys } from './keys.ts';
import { RELEASE_HOLD, RENEW_LEASE, TAKE_HOLD } from './lease-scripts.ts';

/** One notice waiting in a conversation's outbox: its stream id (ordered) and its JSON. */
export interface OutboxEntry {
  readonly id: string;
  readonly body: string;
}

/**
 * One entry to append to a conversation's outbox: the conversation's key and the entry's JSON.
 * A state change hands these to its store so they land in the same step as the change.
 */
export interface OutboxAppend {
  readonly key: string;
  readonly body: string;
}

/** Where a conversation's messages are: the root message's ts, each phase reply's by its key. */
export interface ThreadPlaces {
  readonly rootTs?: string;
  readonly replies?: Readonly<Record<string, string>>;
}

/**
 * Where a conversation's delivery stands: the last entry delivered, where its messages are, and
 * the entry a notifier began to deliver (before its first post) with when it began, by that
 * notifier's clock. An attempted entry that is not delivered may have reached Slack.
 */
export interface OutboxProgress extends ThreadPlaces {
  readonly delivered?: string;
  readonly attempt?: { readonly entry: string; readonly atMs: number };
}

/** A phase reply's ts is kept under `reply:<key>` in the state hash. */
const REPLY = 'reply:';

/** The state hash as read back; an unreadable attempt counts as none (nothing to look for). */
const StateRow = z.object({
  delivered: z.string().min(1).optional().catch(undefined),
  rootTs: z.string().min(1).optional().catch(undefined),
  attempt: z.string().min(1).optional().catch(undefined),
  attemptAt: z.string().regex(/^\d+$/).transform(Number).optional().catch(undefined),
});

/** Runs the write only while `owner` holds the conversation's lease; 1 when it ran. */
const IF_HELD = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
`;

export type OutboxRedis = Pick<
  Redis,
  'multi' | 'xrange' | 'hgetall' | 'hset' | 'set' | 'get' | 'smembers' | 'srem' | 'pexpire' | 'eval'
>;

/** A delivered conversation is kept this long, then forgotten (scripts that append use it too). */
export const OUTBOX_KEEP_SECONDS = 7 * 24 * 3600;
const KEEP_SECONDS = OUTBOX_KEEP_SECONDS;

/**
 * The outboxes (docs/architecture.md, the outbox): per conversation a Redis stream of notices, appended in one MULTI
 * with the index of conversations to drain; the delivered position and the root message's ts
 * beside it, written after each message so a notifier that dies resumes where it stood, and the
 * entry being attempted, written before its first post so the next one checks Slack for it.
 */
export class OutboxStore {
  constructor(
    private readonly redis: OutboxRedis,
    private readonly keys: Keys,
  ) {}

  async append(thread: string, body: string): Promise<string> {
    const replies = await this.redis
      .multi()
      .xadd(this.keys.outbox(thread), '*', 'n', body)
      .sadd(this.keys.outboxThreads, thread)
      .expire(this.keys.outbox(thread), KEEP_SECONDS)
      .exec();
    const id = replies?.[0]?.[1];
    if (typeof id !== 'string') throw new Error(`outbox ${thread}: the notice was not appended`);
    return id;
  }

  threads(): Promise<string[]> {
    return this.redis.smembers(this.keys.outboxThreads);
  }

  /** Up to `count` entries after `after` (exclusive), oldest first. */
  async after(thread: string, after: string | undefined, count: number): Promise<OutboxEntry[]> {
    const rows = await this.redis.xrange(
      this.keys.outbox(thread),
      after ? `(${after}` : '-',
      '+',
      'COUNT',
      count,
    );
    return rows.map(([id, fields]) => ({ id, body: fields[1] ?? '' }));
  }

  async progress(thread: string): Promise<OutboxProgress> {
    const raw = await this.redis.hgetall(this.keys.outboxState(thread));
    const row = StateRow.parse(raw);
    const replies = Object.fromEntries(
      Object.entries(raw)
        .filter(([field, ts]) => field.startsWith(REPLY) && /^\d+\.\d+$/.test(ts))
        .map(([field, ts]) => [field.slice(REPLY.length), ts]),
    );
    return {
      ...(row.delivered ? { delivered: row.delivered } : {}),
      ...(row.rootTs ? { rootTs: row.rootTs } : {}),
      ...(Object.keys(replies).length > 0 ? { replies } : {}),
      ...(row.attempt && row.attemptAt !== undefined
        ? { attempt: { entry: row.attempt, atMs: row.attemptAt } }
        : {}),
    };
  }

  /**
   * Records that `owner` is about to deliver entry `id` (before its first post), so that whoever
   * delivers it next looks in Slack for what got posted. False, and nothing written, when the
   * conversation is no longer `owner`'s.
   */
  async attempt(thread: string, owner: string, id: string, atMs: number): Promise<boolean> {
    return this.ifHeld(
      `redis.call('HSET', KEYS[2], 'attempt', ARGV[2], 'attemptAt', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`,
      { thread, owner, id },
      String(Math.floor(atMs)),
      String(KEEP_SECONDS * 1000),
    );
  }

  /**
   * Entry `id` is delivered (and its messages are at `places`). False, and nothing written, when
   * the conversation is no longer `owner`'s: a notifier that stalled past its lease must not move
   * back the position of the one that took over.
   */
  async delivered(thread: string, owner: string, id: string, places: ThreadPlaces): Promise<boolean> {
    const replies = Object.entries(places.replies ?? {}).flatMap(([key, ts]) => [`${REPLY}${key}`, ts]);
    return this.ifHeld(
      `redis.call('HSET', KEYS[2], 'delivered', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'rootTs', ARGV[3]) end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`,
      { thread, owner, id },
      places.rootTs ?? '',
      String(KEEP_SECONDS * 1000),
      ...replies,
    );
  }

  /**
   * A write to the conversation's state (KEYS[2]) about entry `id` (ARGV[2]) that runs only while
   * `owner` (ARGV[1]) holds its lease (KEYS[1]), `args` from ARGV[3] on; false when it did not.
   */
  private async ifHeld(
    write: string,
    at: { thread: string; owner: string; id: string },
    ...args: string[]
  ): Promise<boolean> {
    const lease = this.keys.outboxLease(at.thread);
    const state = this.keys.outboxState(at.thread);
    return (await this.redis.eval(`${IF_HELD}${write}`, 2, lease, state, at.owner, at.id, ...args)) === 1;
  }

  /** Drops a conversation from the index once everything in it was delivered (atomically: a notice appended meanwhile keeps it). */
  async settled(thread: string, delivered: string | undefined): Promise<void> {
    await this.redis.eval(
      `local next = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', 1)
if #next == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return #next`,
      2,
      this.keys.outbox(thread),
      this.keys.outboxThreads,
      delivered ? `(${delivered}` : '-',
      thread,
    );
  }

  /** Gives a conversation back at shutdown, if this notifier still holds it. */
  async release(thread: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE_HOLD, 1, this.keys.outboxLease(thread), owner);
  }

  /**
   * Extends the lease only if `owner` still holds it: false once it ran out or went to another
   * notifier, and then what `owner` read of the conversation may be stale.
   */
  async renew(thread: string, owner: string, ms: number): Promise<boolean> {
    return (await this.redis.eval(RENEW_LEASE, 1, this.keys.outboxLease(thread), owner, String(ms))) === 1;
  }

  /** Takes or renews the lease on a conversation; false while another notifier holds it. */
  async lease(thread: string, owner: string, ms: number): Promise<boolean> {
    return (await this.redis.eval(TAKE_HOLD, 1, this.keys.outboxLease(thread), owner, String(ms))) === 1;
  }
}
