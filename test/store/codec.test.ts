import { describe, expect, it } from 'vitest';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import { readJobData } from '../../src/store/job-data.ts';
import { LoginDmStore } from '../../src/store/login-dm.ts';
import { ResultStore } from '../../src/store/results.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { useRedisKeys } from '../helpers/store.ts';

const env = 'staging' as EnvName;
const db = useRedisKeys('codec');

describe('values read back from Redis', () => {
  it('a value that fails its schema is an error naming the key, not a record with holes', async () => {
    const id = 'rcodec0001' as RunId;
    await db.redis.set(db.keys.loginDm(id), JSON.stringify({ channel: 'D1' }));
    await expect(new LoginDmStore(db.redis, db.keys).get(id)).rejects.toThrow(
      `Redis key ${db.keys.loginDm(id)} is unreadable (ts:`,
    );
    await db.redis.set(db.keys.latest(env), '{not json');
    await expect(new ResultStore(db.redis, db.keys).latest(env)).rejects.toThrow(
      `Redis key ${db.keys.latest(env)} is unreadable (not JSON)`,
    );
    await db.redis.hset(db.keys.run(id), { state: 'phase9', version: '1', doc: '{}' });
    await expect(new RunStore(db.redis, db.keys).get(id)).rejects.toThrow(
      `Redis key ${db.keys.run(id)} is unreadable (state:`,
    );
  });

  it("a job's data is checked before a worker acts on it", () => {
    expect(readJobData({ kind: 'run', runId: 'rcodec0001', step: 'start' }, 'j1')).toMatchObject({
      step: 'start',
    });
    expect(() => readJobData({ kind: 'run', runId: 'rcodec0001', step: 'phase9' }, 'j2')).toThrow(
      /job j2 is unreadable \(step:/,
    );
  });
});
