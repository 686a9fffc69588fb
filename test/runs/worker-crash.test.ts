import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunId } from '../../src/domain/ids.ts';
import type { RunState } from '../../src/domain/run.ts';
import { renderCoded, translator } from '../../src/i18n/index.ts';
import { LOST_WORKER } from '../../src/lifecycle/reaper.ts';
import { createRunQueue } from '../../src/lifecycle/run-queue.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startRunAt } from '../helpers/serve-process.ts';
import { useServedWorld } from '../helpers/served-world.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { ALICE, type BotWorld, CHANNEL, SECRET, STAGING } from '../slack/bot-world.ts';

/*
 * A worker process killed with SIGKILL in the middle of a phase: nothing it held may stay held.
 * (Killed while waiting for the sign-in, in Phase 2: test/runs/bot-restart.test.ts.)
 */

// A case is a whole run and a take-over by another process: its waits poll against deadlines
// of their own (up to 40 s), which a 30 s test timeout would cut short under load, leaving the
// run going into the next case.
vi.setConfig({ testTimeout: 120_000 });
// Every command takes 300 ms, so each phase lasts long enough to be killed in its middle.
const served = useServedWorld({ faults: { commandDelayMs: 300 } });
let world: BotWorld;
beforeAll(() => {
  world = served.world;
  world.aad.autoApprove();
});
afterEach(async () => {
  await Promise.all(world.bots.splice(0).map((b) => b.stop()));
});

/** Starts a run in its own `serve` process and SIGKILLs that process once the phase has begun. */
async function killedIn(
  phase: number,
  state: RunState,
  /** A further moment to wait for before the kill (e.g. the run's flag intent recorded). */
  until?: (id: RunId) => Promise<boolean>,
): Promise<RunId> {
  const bot = await served.serve();
  const id = await startRunAt(bot.url, {
    text: 'staging',
    userId: ALICE,
    channelId: CHANNEL,
    secret: SECRET,
    slack: world.slack.api,
  });
  await world.waitForRun(id, (r) => r.state === state, `run ${id} to reach ${state}`, 30_000);
  await world.rootWhen(
    id,
    (root) => headers(root.thread, phase) === 1,
    `the thread to show Phase ${phase} began`,
  );
  if (until)
    await pollUntil(async () => ((await until(id)) ? true : undefined), { what: 'the moment to kill' });
  bot.child.kill('SIGKILL');
  await bot.child;
  return id;
}

/** How often the thread announced the start of this phase. */
function headers(thread: readonly string[], phase: number): number {
  return thread.filter((t) => t.includes(`*Phase ${phase}* —`)).length;
}

describe('a worker killed (SIGKILL) in the middle of a phase', () => {
  it.each([
    [0, 'phase0'],
    [1, 'phase1'],
    [3, 'phase3'],
  ] as const)(
    'Phase %i: another worker takes the run over from the start of that phase and finishes it',
    async (phase, state) => {
      const id = await killedIn(phase, state);
      // Dead, yet still holding the environment: nobody else may start on it meanwhile.
      expect(await world.runs.lockHolder(STAGING)).toBe(id);

      await world.startBot();
      const run = await world.finished(id, 40_000);
      expect(run.state).toBe('passed');
      expect(run.report?.phases.map((p) => [p.phase, p.status])).toEqual([
        [0, 'pass'],
        [1, 'pass'],
        [2, 'pass'],
        [3, 'pass'],
      ]);
      const { thread } = await world.root(id);
      expect(thread).toContainEqual(
        expect.stringContaining('Picked up again (the worker running it stopped'),
      );
      // Phases that had passed are kept; only the interrupted one runs again.
      for (const earlier of [0, 1, 2].filter((n) => n < phase)) expect(headers(thread, earlier)).toBe(1);
      expect(headers(thread, phase)).toBe(2);
      expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
      expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
    },
  );

  it('whose job is lost as well, before any flag change: the run ends failed with the reason once its lease runs out', async () => {
    const id = await killedIn(0, 'phase0');
    await obliterateQueue();
    await world.startBot();
    const run = await world.finished(id, 30_000);
    expect(run.state).toBe('failed');
    expect(run.report?.reason).toBe(LOST_WORKER);
    const { thread } = await world.root(id);
    expect(thread).toContainEqual(expect.stringContaining(renderCoded(translator('en'), LOST_WORKER)));
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();

    const next = await world.start();
    expect((await world.finished(next, 40_000)).state).toBe('passed');
  });

  it('whose job is lost as well, mid flag change: the reaper hands it to a worker, which verifies the flag', async () => {
    // Killed once its OFF intent is recorded and before a health check verified it: the api
    // starts slowly after the restart, which holds the run in that window.
    world.sim.setFaults({ startDelayMs: 3_000 });
    const id = await killedIn(1, 'phase1', async (run) => {
      const flag = await world.flags.get(STAGING);
      return flag?.owner.kind === 'run' && flag.owner.runId === run && flag.observed === 'unknown';
    });
    world.sim.setFaults({ startDelayMs: 0 });
    await obliterateQueue();
    await world.startBot();
    // Never just "failed" while the flag may be half-switched: Phase 1 resumes from its flag write.
    const run = await world.finished(id, 40_000);
    expect(run.state).toBe('passed');
    expect(await world.flags.get(STAGING)).toMatchObject({ desired: 'on', observed: 'on' });
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
  });
});

/** The job vanishes with the worker (say, a Redis failover lost it): no worker will resume the run by itself. */
async function obliterateQueue(): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createRunQueue(redis, world.config.deployment);
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
}
