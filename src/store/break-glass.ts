import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EnvName } from '../domain/ids.ts';
import type { Keys } from './keys.ts';

/**
 * A change to a `requireApproval` environment made from a terminal without the bot's approval
 * gate (`--break-glass "<reason>"`): who, why, what, and — once an approver looked at it — who
 * reviewed it. Kept until reviewed in the environment's set of unreviewed break-glasses, which
 * `status` shows.
 */
export interface BreakGlass {
  readonly id: string;
  readonly env: EnvName;
  /** The OS user at the terminal. */
  readonly by: string;
  readonly reason: string;
  /** What the terminal did: a verification (`run`) or a sign-in (`login`). */
  readonly action: 'run' | 'login';
  readonly runId: string;
  readonly at: string;
  readonly reviewedBy?: string;
  readonly reviewedAt?: string;
}

const Row = z.object({
  id: z.string(),
  env: z.string(),
  by: z.string(),
  reason: z.string(),
  action: z.enum(['run', 'login']),
  runId: z.string(),
  at: z.string(),
  reviewedBy: z.string().optional(),
  reviewedAt: z.string().optional(),
});

/** Marks it reviewed once: the first reviewer wins; 1 when this call did, 0 when already, -1 when unknown. */
const MARK_REVIEWED = `if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], 'reviewedBy', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'reviewedAt', ARGV[2])
redis.call('SREM', KEYS[2], ARGV[3])
return 1`;

export type ReviewOutcome =
  | { readonly kind: 'reviewed'; readonly glass: BreakGlass }
  | { readonly kind: 'already'; readonly glass: BreakGlass }
  | { readonly kind: 'unknown' };

export class BreakGlassStore {
  constructor(
    private readonly redis: Pick<Redis, 'multi' | 'hgetall' | 'smembers' | 'eval'>,
    private readonly keys: Keys,
  ) {}

  #key(env: EnvName, id: string): string {
    return `${this.keys.prefix}:break-glass:${env}:${id}`;
  }

  #unreviewed(env: EnvName): string {
    return `${this.keys.prefix}:break-glass-unreviewed:${env}`;
  }

  /** Written before the terminal changes anything: the record and the set `status` reads, in one step. */
  async record(glass: BreakGlass): Promise<void> {
    const fields = Object.entries(glass).flatMap(([k, v]) => [k, String(v)]);
    await this.redis
      .multi()
      .hset(this.#key(glass.env, glass.id), ...fields)
      .sadd(this.#unreviewed(glass.env), glass.id)
      .exec();
  }

  async get(env: EnvName, id: string): Promise<BreakGlass | undefined> {
    const row = Row.safeParse(await this.redis.hgetall(this.#key(env, id)));
    return row.success ? ({ ...row.data, env: row.data.env as EnvName } as BreakGlass) : undefined;
  }

  async markReviewed(env: EnvName, id: string, by: string, at: string): Promise<ReviewOutcome> {
    const result = Number(
      await this.redis.eval(MARK_REVIEWED, 2, this.#key(env, id), this.#unreviewed(env), by, at, id),
    );
    const glass = await this.get(env, id);
    if (result < 0 || !glass) return { kind: 'unknown' };
    return { kind: result === 1 ? 'reviewed' : 'already', glass };
  }

  async unreviewed(env: EnvName): Promise<BreakGlass[]> {
    const ids = await this.redis.smembers(this.#unreviewed(env));
    const found = await Promise.all(ids.map((id) => this.get(env, id)));
    return found.filter((g): g is BreakGlass => g !== undefined).sort((a, b) => a.at.localeCompare(b.at));
  }
}
