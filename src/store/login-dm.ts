import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RunId } from '../domain/ids.ts';
import { readJson } from './codec.ts';
import type { Keys } from './keys.ts';

/** Where a run's sign-in DM is, so whichever process ends the login can replace the code in it. */
export interface DmRef {
  readonly channel: string;
  readonly ts: string;
}

/** A sign-in lasts minutes; a day is plenty for any process to find the DM again. */
const DmRefSchema = z.object({ channel: z.string(), ts: z.string() }) satisfies z.ZodType<DmRef>;

const TTL_SECONDS = 24 * 3600;

export type LoginDmRedis = Pick<Redis, 'get' | 'set' | 'del'>;

/** Holds the DM's channel and ts only: the code itself is never stored. */
export class LoginDmStore {
  constructor(
    private readonly redis: LoginDmRedis,
    private readonly keys: Keys,
  ) {}

  async set(id: RunId, ref: DmRef): Promise<void> {
    await this.redis.set(this.keys.loginDm(id), JSON.stringify(ref), 'EX', TTL_SECONDS);
  }

  async get(id: RunId): Promise<DmRef | undefined> {
    const key = this.keys.loginDm(id);
    const json = await this.redis.get(key);
    return json ? readJson(DmRefSchema, json, key) : undefined;
  }

  async clear(id: RunId): Promise<void> {
    await this.redis.del(this.keys.loginDm(id));
  }
}
