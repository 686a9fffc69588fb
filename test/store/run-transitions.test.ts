import { describe, expect, it } from 'vitest';
import type { EnvName } from '../../src/domain/ids.ts';
import { ACTIVE_STATES, TERMINAL_STATES } from '../../src/domain/run.ts';
import { allows, RUN_TRANSITIONS } from '../../src/domain/run-transitions.ts';
import { FlagRecordStore } from '../../src/store/flag-record.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { queuedRun, useRedisKeys } from '../helpers/store.ts';

const env = 'staging' as EnvName;
const db = useRedisKeys('tr');

/** A run in Phase 1 that recorded an intent for the flag, then was cancelled: `cancelling`. */
async function cancelledMidFlagChange(store: RunStore) {
  const run = queuedRun(env);
  expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
  expect((await store.enterPhase(run.id, 'phase1')).ok).toBe(true);
  await new FlagRecordStore(db.redis, db.keys).recordIntent(env, {
    desired: 'off',
    owner: { kind: 'run', runId: run.id },
    by: 'tester',
    at: new Date().toISOString(),
  });
  // The cancel lands between the worker's two steps (the worker read `phase1` before it).
  const cancel = await store.cancel(run, 'Cancelled by a test.', ['queued']);
  expect(cancel).toMatchObject({ ok: true, state: 'cancelling' });
  return run;
}

describe('the run state machine, enforced by the store', () => {
  it('a phase step cannot overwrite a cancel that landed between two steps', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = await cancelledMidFlagChange(store);
    // The worker's next step and the approval gate come after the cancel: both are refused.
    expect(await store.enterPhase(run.id, 'phase2')).toEqual({
      ok: false,
      reason: 'wrong_state',
      state: 'cancelling',
    });
    expect(await store.awaitApproval(run.id, () => ({}))).toMatchObject({ ok: false, state: 'cancelling' });
    const kept = await store.get(run.id);
    expect(kept).toMatchObject({ state: 'cancelling', reason: 'Cancelled by a test.' });
    // Only the run's end leaves `cancelling`.
    const ended = await store.finish(
      run.id,
      ['cancelling'],
      'cancelled',
      () => ({}),
      () => ({ summary: {}, auditPayload: '{}' }),
    );
    expect(ended.ok && ended.run.state).toBe('cancelled');
  });

  it('a decision cannot revive a cancelled run, and a cancel is not cancelled twice', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = await cancelledMidFlagChange(store);
    expect(await store.decide(run.id, 'phase3', () => ({}))).toMatchObject({
      ok: false,
      state: 'cancelling',
    });
    expect(await store.cancel(run, 'again', [])).toMatchObject({ ok: false, state: 'cancelling' });
    await store.releaseLock(env, run.id);
  });

  it('every script refuses a target its transition does not have', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = queuedRun(env);
    // The cancel test before left a run mid-flag-change: a claim would rightly wait for it.
    await db.redis.del(db.keys.lock(env), db.keys.flag(env));
    expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
    // Typed away in the code; the script checks it too, for a caller that gets round the types.
    await expect(store.enterPhase(run.id, 'passed' as never)).rejects.toThrow(/may not reach passed/);
    await expect(
      store.finish(
        run.id,
        ['queued'],
        'phase3',
        () => ({}),
        () => ({ summary: {}, auditPayload: '{}' }),
      ),
    ).rejects.toThrow(/may not end in phase3/);
    expect((await store.get(run.id))?.state).toBe('queued');
    await store.releaseLock(env, run.id);
  });

  it('a run waits for its change window only before Phase 3, leaves the wait only for Phase 3, and a cancel ends the wait', async () => {
    const store = new RunStore(db.redis, db.keys);
    await db.redis.del(db.keys.lock(env), db.keys.flag(env));
    const run = queuedRun(env);
    expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
    // From a queued run (nothing verified yet) the wait is refused.
    expect(await store.awaitWindow(run.id, () => ({}))).toMatchObject({ ok: false, state: 'queued' });
    expect((await store.enterPhase(run.id, 'phase2')).ok).toBe(true);
    const waiting = await store.awaitWindow(run.id, () => ({ windowOpensAt: '2026-12-07T06:00:00.000Z' }));
    expect(waiting.ok && waiting.run).toMatchObject({
      state: 'awaiting_window',
      windowOpensAt: '2026-12-07T06:00:00.000Z',
    });
    // A worker's phase step cannot skip the window.
    expect(await store.enterPhase(run.id, 'phase3')).toMatchObject({ ok: false, state: 'awaiting_window' });
    const opened = await store.openWindow(run.id);
    expect(opened.ok && opened.run.state).toBe('phase3');
    // Only one worker opens it.
    expect(await store.openWindow(run.id)).toMatchObject({ ok: false, state: 'phase3' });
    expect((await store.awaitWindow(run.id, () => ({}))).ok).toBe(true);
    expect(await store.cancel(run, 'Cancelled while it waited.', ['awaiting_window'])).toMatchObject({
      ok: true,
      state: 'cancelled',
    });
    expect(await store.openWindow(run.id)).toMatchObject({ ok: false, state: 'cancelled' });
    await store.releaseLock(env, run.id);
  });

  it('the table: `cancelling` is left only by the end, and terminal states by nothing', () => {
    for (const [name, rule] of Object.entries(RUN_TRANSITIONS)) {
      if (name === 'finish') continue;
      for (const t of TERMINAL_STATES) expect(rule.from, name).not.toContain(t);
      // A new claim fails a run whose worker is gone, `cancelling` too: its flag is the reaper's.
      if (name !== 'failStale') expect(rule.from, name).not.toContain('cancelling');
    }
    expect(allows('finish', 'cancelling', 'rolled_back')).toBe(true);
    expect(allows('cancel', 'phase3', 'cancelling')).toBe(true);
    for (const s of ACTIVE_STATES) expect(allows('enterPhase', s, 'passed')).toBe(false);
  });
});
