import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EnvName } from '../domain/ids.ts';
import type { WatchState } from '../domain/watch.ts';
import { FlagReply, readJsonOrNone, replyOf } from './codec.ts';
import type { Keys } from './keys.ts';
import { RELEASE_HOLD } from './lease-scripts.ts';
import { MARK_WATCH_ANNOUNCED, RECORD_WATCH_PROBE } from './watch-scripts.ts';

const CauseSchema = z.object({
  kind: z.enum(['token', 'unreachable', 'exception', 'drift', 'api_down', 'probe_failed']),
  detail: z.string(),
});

export const WatchStateSchema = z.object({
  status: z.enum(['healthy', 'failing', 'idle']),
  cause: CauseSchema.optional(),
  idleWhy: z.string().optional(),
  since: z.string(),
  lastProbeAt: z.string(),
  lastSyncAt: z.string().optional(),
  probes: z.number().int().nonnegative(),
  announced: z.string().optional(),
});

/** What a probe hands to the store; the store keeps `since`, `probes` and `announced` itself. */
export type WatchProbeRecord = Omit<WatchState, 'since' | 'probes' | 'announced'>;

export type WatchRedis = Pick<Redis, 'get' | 'set' | 'eval'>;

/** The watch's state per environment and the lease that keeps one probe per environment at a time. */
export class WatchStore {
  constructor(
    private readonly redis: WatchRedis,
    private readonly keys: Keys,
  ) {}

  /** Takes the environment's probe lease for `ms`; false when another process holds it. */
  async lease(env: EnvName, holder: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.keys.watchLease(env), holder, 'PX', ms, 'NX')) === 'OK';
  }

  async release(env: EnvName, holder: string): Promise<void> {
    await this.redis.eval(RELEASE_HOLD, 1, this.keys.watchLease(env), holder);
  }

  /** Records a probe while holding the lease; the state key already posted, or undefined when the lease was lost. */
  async record(
    env: EnvName,
    holder: string,
    probe: WatchProbeRecord,
  ): Promise<{ announced: string | undefined } | undefined> {
    const reply = replyOf(
      FlagReply,
      await this.redis.eval(
        RECORD_WATCH_PROBE,
        2,
        this.keys.watch(env),
        this.keys.watchLease(env),
        JSON.stringify(probe),
        holder,
        probe.lastProbeAt,
      ),
      'recordWatchProbe',
    );
    if (reply[0] !== 1) return undefined;
    return { announced: reply[1] === '' ? undefined : reply[1] };
  }

  async markAnnounced(env: EnvName, stateKey: string): Promise<boolean> {
    return (await this.redis.eval(MARK_WATCH_ANNOUNCED, 1, this.keys.watch(env), stateKey)) === 1;
  }

  /** Validated on the way in: a state that does not parse is treated as none (the next probe rewrites it). */
  async get(env: EnvName): Promise<WatchState | undefined> {
    const json = await this.redis.get(this.keys.watch(env));
    if (!json) return undefined;
    return readJsonOrNone(WatchStateSchema, json);
  }
}
