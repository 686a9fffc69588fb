import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import type { Requester, RunRecord } from '../../src/domain/run.ts';
import { type Keys, keysFor } from '../../src/store/keys.ts';
import { REDIS_URL, uniqueName } from './services.ts';

/** A Redis connection and a key prefix of this test file's own, removed afterwards. */
export function useRedisKeys(prefix: string) {
  let redis: Redis | undefined;
  let keys: Keys | undefined;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    keys = keysFor(uniqueName(prefix));
  });
  afterAll(async () => {
    if (!redis || !keys) return;
    const found = await redis.keys(`${keys.prefix}*`);
    if (found.length > 0) await redis.del(...found);
    redis.disconnect();
  });
  return {
    get redis(): Redis {
      if (!redis) throw new Error('useRedisKeys: use inside a test');
      return redis;
    },
    get keys(): Keys {
      if (!keys) throw new Error('useRedisKeys: use inside a test');
      return keys;
    },
  };
}

let counter = 0;

/** A fresh queued run record (unique id) for store tests. */
export function queuedRun(env: EnvName, requester: Requester = { kind: 'cli', user: 'tester' }): RunRecord {
  const now = new Date().toISOString();
  return {
    id: `run${Date.now()}${counter++}` as RunId,
    env,
    state: 'queued',
    version: 1,
    requester,
    createdAt: now,
    updatedAt: now,
    phases: [],
  };
}
