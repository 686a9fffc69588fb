import { describe, expect, it } from 'vitest';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import type { RunReport } from '../../src/domain/run.ts';
import { FlagRecordStore } from '../../src/store/flag-record.ts';
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
    await store.cancel(run, 'Cancelled by a test.', ['queued']);
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
    await store.finish(
      run.id,
      ['queued'],
      'failed',
      () => ({}),
      () => ({ summary: {}, auditPayload: '{}' }),
    );
    expect(await store.resumeLease(env, run.id, 60_000)).toBe(false);
    // Its stand-in result is no result the history test below could read.
    await db.redis.del(db.keys.latest(env), db.keys.history(env));
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

describe('FlagRecordStore and LoginDmStore', () => {
  it('fences a run without the lock, verifies by the owner only, keeps an unverified mark until verified', async () => {
    const flags = new FlagRecordStore(db.redis, db.keys);
    const run = { kind: 'run' as const, runId: 'run-r1' as RunId };
    const kill = { kind: 'kill' as const, offId: 'k1' };
    const at = '2026-01-01T00:00:00.000Z';
    expect(await flags.get(env)).toBeUndefined();
    expect(await flags.recordIntent(env, { desired: 'on', owner: run, by: 'U1', at })).toBe(false);
    await db.redis.set(db.keys.lock(env), 'run-r1');
    expect(await flags.recordIntent(env, { desired: 'on', owner: run, by: 'U1', at })).toBe(true);
    expect(await flags.get(env)).toMatchObject({ desired: 'on', observed: 'unknown', owner: run });
    expect(await flags.markUnverified(env, run, at, 'target down')).toBe(true);
    // The kill switch needs no lock and takes over; the run's late observation is ignored.
    expect(await flags.recordIntent(env, { desired: 'off', owner: kill, by: 'U2', at })).toBe(true);
    expect(await flags.recordObserved(env, run, 'on', at)).toBe(false);
    expect((await flags.get(env))?.unverified?.why).toBe('target down');
    expect(await flags.recordObserved(env, kill, 'off', at)).toBe(true);
    const verified = await flags.get(env);
    expect(verified).toMatchObject({ desired: 'off', observed: 'off', verifiedAt: at, owner: kill });
    expect(verified?.unverified).toBeUndefined();
    // A record an older version wrote is read as what it was: the flag as last verified.
    await db.redis.set(db.keys.flag(env), JSON.stringify({ on: true, at, by: 'U1', via: 'run r1' }));
    expect(await flags.get(env)).toMatchObject({ desired: 'on', observed: 'on', verifiedAt: at });
    await db.redis.set(db.keys.flag(env), '{"desired":"maybe"}');
    await expect(flags.get(env)).rejects.toThrow(/unreadable/);
    await db.redis.del(db.keys.lock(env));
    const dms = new LoginDmStore(db.redis, db.keys);
    await dms.set('r1' as RunId, { channel: 'D1', ts: '1.1' });
    expect(await dms.get('r1' as RunId)).toEqual({ channel: 'D1', ts: '1.1' });
    expect(await db.redis.ttl(db.keys.loginDm('r1' as RunId))).toBeGreaterThan(0);
    await dms.clear('r1' as RunId);
    expect(await dms.get('r1' as RunId)).toBeUndefined();
  });
});
