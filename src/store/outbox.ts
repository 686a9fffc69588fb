import type { Redis } from 'ioredis';
import type { Keys } from './keys.ts';

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

/** Where a conversation's delivery stands: the last entry delivered and the root message's ts. */
export interface OutboxProgress {
  readonly delivered?: string;
  readonly rootTs?: string;
}

export type OutboxRedis = Pick<
  Redis,
  'multi' | 'xrange' | 'hgetall' | 'hset' | 'set' | 'get' | 'smembers' | 'srem' | 'pexpire' | 'eval'
>;

/** A delivered conversation is kept this long, then forgotten (scripts that append use it too). */
export const OUTBOX_KEEP_SECONDS = 7 * 24 * 3600;
const KEEP_SECONDS = OUTBOX_KEEP_SECONDS;

/**
 * The outboxes (DESIGN §4a): per conversation a Redis stream of notices, appended in one MULTI
 * with the index of conversations to drain; the delivered position and the root message's ts
 * beside it, written after each message so a notifier that dies resumes where it stood.
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
    const row = await this.redis.hgetall(this.keys.outboxState(thread));
    return {
      ...(row.delivered ? { delivered: row.delivered } : {}),
      ...(row.rootTs ? { rootTs: row.rootTs } : {}),
    };
  }

  async delivered(thread: string, id: string, rootTs: string | undefined): Promise<void> {
    const key = this.keys.outboxState(thread);
    await this.redis.hset(key, { delivered: id, ...(rootTs ? { rootTs } : {}) });
    await this.redis.pexpire(key, KEEP_SECONDS * 1000);
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
    await this.redis.eval(
      `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`,
      1,
      this.keys.outboxLease(thread),
      owner,
    );
  }

  /** Takes or renews the lease on a conversation; false while another notifier holds it. */
  async lease(thread: string, owner: string, ms: number): Promise<boolean> {
    const taken = await this.redis.eval(
      `local h = redis.call('GET', KEYS[1])
if h and h ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`,
      1,
      this.keys.outboxLease(thread),
      owner,
      String(ms),
    );
    return taken === 1;
  }
}
