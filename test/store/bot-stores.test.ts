import { describe, expect, it } from 'vitest';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import type { RunReport } from '../../src/domain/run.ts';
import { FlagStateStore } from '../../src/store/flag-state.ts';
import { LoginDmStore } from '../../src/store/login-dm.ts';
import { ResultStore } from '../../src/store/results.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { pollUntil } from '../helpers/poll.ts';
import { queuedRun, useRedisKeys } from '../helpers/store.ts';

const env = 'staging' as EnvName;
const db = useRedisKeys('s');
const newRun = () => queuedRun(env, { kind: 'slack', userId: 'U0ALICE0001' as never });

describe('RunStore, as the bot uses it', () => {
  it('patches a record without moving its state, and refuses once the state is not allowed', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    await store.claimEnvironment(run, 60_000);
    expect(await store.currentRunId(env)).toBe(run.id);
    const patched = await store.patch(run.id, ['queued'], () => ({
      slack: { channel: 'C0X', rootTs: '1.2' },
    }));
    expect(patched.ok && patched.run).toMatchObject({
      state: 'queued',
      version: 2,
      slack: { rootTs: '1.2' },
    });
    await store.transition(run.id, ['queued'], 'cancelled');
    expect(await store.patch(run.id, ['queued'], () => ({}))).toEqual({
      ok: false,
      reason: 'wrong_state',
      state: 'cancelled',
    });
  });

  it('lets a worker take the lease again only for an unfinished run nobody else holds', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    await store.claimEnvironment(run, 50);
    await pollUntil(async () => ((await store.lockHolder(env)) === undefined ? true : undefined), {
      what: 'lease expiry',
    });
    expect(await store.resumeLease(env, run.id, 60_000)).toBe(true);
    expect(await store.lockHolder(env)).toBe(run.id);
    expect(await store.resumeLease(env, 'another' as RunId, 60_000)).toBe(false);
    await store.transition(run.id, ['queued'], 'failed');
    expect(await store.resumeLease(env, run.id, 60_000)).toBe(false);
  });
});

describe('ResultStore.recordOnce', () => {
  it('records a run exactly once however many processes see it end', async () => {
    const results = new ResultStore(db.redis, db.keys);
    const report = {
      env,
      runId: 'r1' as RunId,
      verdict: 'FAIL',
      state: 'failed',
      phases: [],
    } as unknown as RunReport;
    const summary = { report, requester: { kind: 'cli' as const, user: 'me' } };
    const firsts = await Promise.all(Array.from({ length: 10 }, () => results.recordOnce(summary)));
    expect(firsts.filter(Boolean)).toHaveLength(1);
    expect(await results.history(env)).toHaveLength(1);
  });
});

describe('FlagStateStore and LoginDmStore', () => {
  it('keep the flag as last set, and the DM place (never its code)', async () => {
    const flags = new FlagStateStore(db.redis, db.keys);
    expect(await flags.get(env)).toBeUndefined();
    await flags.set(env, { on: true, at: '2026-01-01T00:00:00.000Z', by: 'U1', via: 'run r1' });
    expect(await flags.get(env)).toEqual({
      on: true,
      at: '2026-01-01T00:00:00.000Z',
      by: 'U1',
      via: 'run r1',
    });
    const dms = new LoginDmStore(db.redis, db.keys);
    await dms.set('r1' as RunId, { channel: 'D1', ts: '1.1' });
    expect(await dms.get('r1' as RunId)).toEqual({ channel: 'D1', ts: '1.1' });
    expect(await db.redis.ttl(db.keys.loginDm('r1' as RunId))).toBeGreaterThan(0);
    await dms.clear('r1' as RunId);
    expect(await dms.get('r1' as RunId)).toBeUndefined();
  });
});
