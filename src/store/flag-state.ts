import type { Redis } from 'ioredis';
import type { EnvName } from '../domain/ids.ts';
import type { Keys } from './keys.ts';

/** The flag as pc-verify last wrote it, and who caused that: the dashboard's "flag state". */
export interface FlagState {
  readonly on: boolean;
  readonly at: string;
  /** A Slack user id (`U…`) or a CLI user name. */
  readonly by: string;
  /** `run <id>` or `kill switch`. */
  readonly via: string;
}

export type FlagRedis = Pick<Redis, 'get' | 'set'>;

export class FlagStateStore {
  constructor(
    private readonly redis: FlagRedis,
    private readonly keys: Keys,
  ) {}

  async set(env: EnvName, state: FlagState): Promise<void> {
    await this.redis.set(this.keys.flag(env), JSON.stringify(state));
  }

  async get(env: EnvName): Promise<FlagState | undefined> {
    const json = await this.redis.get(this.keys.flag(env));
    return json ? (JSON.parse(json) as FlagState) : undefined;
  }
}
