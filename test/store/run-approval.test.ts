import { describe, expect, it } from 'vitest';
import { tally } from '../../src/domain/approvals.ts';
import type { EnvName, SlackUserId } from '../../src/domain/ids.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { SteppedClock } from '../helpers/clock.ts';
import { queuedRun, useRedisKeys } from '../helpers/store.ts';

let envs = 0;
/** An environment of its own per run: a decided run keeps its lock. */
const freshEnv = () => `approve-${++envs}` as EnvName;
const db = useRedisKeys('ap');
const rule = { approvals: 2, groups: [] };

/** One Approve of `user`, the run deciding for Phase 3 when two people approved. */
const approveAs = (store: RunStore, id: Parameters<RunStore['approve']>[0], user: string) =>
  store.approve(id, {
    approval: { by: user as SlackUserId, at: new Date().toISOString(), groups: [] },
    completes: (approvals) => tally(approvals, rule).complete,
    decide: () => ({
      decision: { decision: 'approved', by: user as SlackUserId, at: new Date().toISOString() },
    }),
  });

async function awaiting(store: RunStore, expiresAt?: Date) {
  const run = queuedRun(freshEnv());
  expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
  const approval = expiresAt
    ? { approval: { requestedAt: new Date().toISOString(), expiresAt: expiresAt.toISOString(), digest: 'd' } }
    : {};
  expect((await store.awaitApproval(run.id, () => approval)).ok).toBe(true);
  return run;
}

describe('approveRun: one Approve, one store step', () => {
  it('refuses an Approve whose request expired between the click and its step', async () => {
    const clock = new SteppedClock();
    const store = new RunStore(db.redis, db.keys, clock.now);
    const run = await awaiting(store, new Date(clock.now().getTime() + 60_000));
    // The click passed its own expiry check; the directory look-ups then outlast the request.
    clock.advance(60_000);
    expect(await approveAs(store, run.id, 'U0BOB00001')).toMatchObject({ ok: false, reason: 'expired' });
    expect((await store.get(run.id))?.approvals ?? []).toEqual([]);
  });

  it('counts twenty concurrent Approves of one person once, and a second person decides', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = await awaiting(store);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => approveAs(store, run.id, 'U0BOB00001')),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'counted')).toHaveLength(19);
    expect(await store.get(run.id)).toMatchObject({
      state: 'awaiting_approval',
      approvals: [{ by: 'U0BOB00001' }],
    });

    const second = await approveAs(store, run.id, 'U0CAROL001');
    expect(second).toMatchObject({ ok: true, complete: true });
    const decided = await store.get(run.id);
    expect(decided).toMatchObject({ state: 'phase3', decision: { decision: 'approved', by: 'U0CAROL001' } });
    expect(decided?.approvals?.map((a) => a.by)).toEqual(['U0BOB00001', 'U0CAROL001']);
    // The decide row: nothing after the decision counts.
    expect(await approveAs(store, run.id, 'U0DAVE0001')).toMatchObject({ ok: false, reason: 'wrong_state' });
  });

  it('two people approving at once both count, exactly one of them deciding', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = await awaiting(store);
    const both = await Promise.all([
      approveAs(store, run.id, 'U0BOB00001'),
      approveAs(store, run.id, 'U0CAROL001'),
    ]);
    expect(both.filter((r) => r.ok && r.complete)).toHaveLength(1);
    expect(both.filter((r) => r.ok && !r.complete)).toHaveLength(1);
    expect((await store.get(run.id))?.state).toBe('phase3');
  });

  it('refuses an Approve on a run that is not awaiting approval', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = queuedRun(freshEnv());
    expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
    expect(await approveAs(store, run.id, 'U0BOB00001')).toEqual({
      ok: false,
      reason: 'wrong_state',
      state: 'queued',
    });
    expect((await store.get(run.id))?.approvals).toBeUndefined();
  });
});
