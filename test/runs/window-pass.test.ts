import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { ChangeWindowSchema } from '../../src/config/windows.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import type { BotServices } from '../../src/lifecycle/lifecycle-deps.ts';
import { passWindow } from '../../src/lifecycle/window-wait.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { FlagRecordStore } from '../../src/store/flag-record.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { SteppedClock } from '../helpers/clock.ts';
import { queuedRun, useRedisKeys } from '../helpers/store.ts';

const env = 'prod' as EnvName;
const db = useRedisKeys('wp');
const LEASE = { queuedMs: 60_000, workingMs: 60_000 };

/** Only the services the window's pass uses; the notifier tells nobody (no thread). */
function services(clock: SteppedClock): BotServices {
  return {
    runs: new RunStore(db.redis, db.keys, clock.now),
    flags: new FlagRecordStore(db.redis, db.keys),
    audit: new AuditLog(db.redis, db.keys),
    notifier: { notify: async () => undefined, handOffLogin: async () => ({ channel: '', ts: '' }) },
    now: clock.now,
  } as Partial<BotServices> as BotServices;
}

/** Monday 2026-12-07 08:00 in Istanbul: the window opens at 09:00. */
function closedClock(): SteppedClock {
  const clock = new SteppedClock();
  clock.advance(Date.parse('2026-12-07T05:00:00Z') - clock.now().getTime());
  return clock;
}

const prod = {
  name: env,
  policy: {
    windows: z.array(ChangeWindowSchema).parse(['Mon-Thu 09:00-16:00 Europe/Istanbul']),
    freezes: [],
  },
} as unknown as EnvironmentConfig;

/** An approved run about to start Phase 3. */
async function approved(s: BotServices) {
  await db.redis.del(db.keys.lock(env), db.keys.flag(env));
  const run = queuedRun(env);
  expect((await s.runs.claimEnvironment(run, 60_000)).ok).toBe(true);
  expect((await s.runs.enterPhase(run.id, 'phase2')).ok).toBe(true);
  expect((await s.runs.awaitApproval(run.id, () => ({}))).ok).toBe(true);
  const decided = await s.runs.decide(run.id, 'phase3', () => ({}));
  if (!decided.ok) throw new Error('not decided');
  return decided.run;
}

describe('the window before Phase 3', () => {
  it('holds an approved run that changed nothing yet, until the window opens', async () => {
    const clock = closedClock();
    const s = services(clock);
    const run = await approved(s);
    expect(await passWindow(s, LEASE, prod, run)).toEqual({ waits: true });
    const waiting = await s.runs.get(run.id);
    expect(waiting).toMatchObject({ state: 'awaiting_window', windowOpensAt: '2026-12-07T06:00:00.000Z' });
    // Its lease reaches past the opening: the reaper does not take it for lost meanwhile.
    expect(await db.redis.pttl(db.keys.lock(env))).toBeGreaterThan(3_600_000);
    // Still closed: it keeps waiting; open: it goes on to Phase 3.
    expect(await passWindow(s, LEASE, prod, waiting!)).toEqual({ waits: true });
    clock.advance(3_600_000);
    const pass = await passWindow(s, LEASE, prod, (await s.runs.get(run.id))!);
    expect('go' in pass && pass.go.state).toBe('phase3');
  });

  it('never holds a Phase 3 that had begun: its flag intent recorded, the run goes on', async () => {
    const clock = closedClock();
    const s = services(clock);
    const run = await approved(s);
    await s.flags.recordIntent(env, {
      desired: 'on',
      owner: { kind: 'run', runId: run.id },
      by: 'tester',
      at: clock.now().toISOString(),
    });
    const pass = await passWindow(s, LEASE, prod, run);
    expect('go' in pass && pass.go.state).toBe('phase3');
    expect((await s.runs.get(run.id))?.state).toBe('phase3');
  });
});
