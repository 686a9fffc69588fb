import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { pollUntil } from '../helpers/poll.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { compose, healthFlag, http } from './helpers/hunter.ts';

// The simulator's named pause points: the seam the crash matrix cancels and kills at.
let db: TestDatabase;
let sim: HunterSim;
beforeAll(async () => {
  db = await createTestDatabase('pcv_hpause');
  sim = await startHunterSim({ databaseUrl: db.url, taskDelayMs: 10 });
});
afterAll(async () => {
  await sim?.stop();
  await db?.drop();
});

async function writeFlag(value: boolean): Promise<void> {
  const text = await readFile(sim.envFile, 'utf8');
  await writeFile(
    sim.envFile,
    text.replace(/^HUNTER_PARTNER_CENTER_ENABLED=.*$/m, `HUNTER_PARTNER_CENTER_ENABLED=${value}`),
  );
}

const RESTART = ['restart', 'api', 'worker'];

describe('pause points', () => {
  it('apply:before holds a restart before anything stops; the api keeps its old flag until released', async () => {
    await writeFlag(true);
    const pause = sim.pauseAt('apply:before', { flag: true });
    const restarting = compose(sim, RESTART);
    await pause.reached;
    expect(await healthFlag(sim)).toBe(false);
    pause.release();
    expect((await restarting).exitCode).toBe(0);
    expect(await healthFlag(sim)).toBe(true);
    await writeFlag(false);
    await compose(sim, RESTART);
  });

  it('apply:during holds with api and worker stopped', async () => {
    const pause = sim.pauseAt('apply:during');
    const restarting = compose(sim, RESTART);
    await pause.reached;
    const refused = await http(sim, 'GET', '/healthz');
    expect(refused.ok).toBe(false);
    const ps = await compose(sim, ['ps', '--format', 'json']);
    const running = ps.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { Service: string }).Service);
    expect(running).not.toContain('api');
    expect(running).not.toContain('worker');
    pause.release();
    expect((await restarting).exitCode).toBe(0);
    expect(await healthFlag(sim)).toBe(false);
  });

  it('a held restart whose docker client was killed still completes on release, as the daemon would', async () => {
    await writeFlag(true);
    const pause = sim.pauseAt('apply:during', { flag: true });
    const killer = new AbortController();
    const restarting = compose(sim, RESTART, { signal: killer.signal });
    await pause.reached;
    killer.abort();
    await restarting;
    pause.release();
    await pollUntil(async () => ((await healthFlag(sim)) === true ? true : undefined), {
      what: 'the api back with the flag ON',
    });
    await writeFlag(false);
    await compose(sim, RESTART);
  });

  it('healthz:before holds a request (skipping the first ones asked) and knows when its caller gave up', async () => {
    const pause = sim.pauseAt('healthz:before', { skip: 1 });
    expect(await healthFlag(sim)).toBe(false);
    const controller = new AbortController();
    const asked = fetch(`${sim.apiUrl}/healthz`, { signal: controller.signal }).catch(() => 'gave up');
    await pause.reached;
    expect(pause.isAbandoned()).toBe(false);
    controller.abort();
    await pause.abandoned;
    expect(await asked).toBe('gave up');
    pause.release();
  });

  it('sync:before holds the sync request before a task is enqueued, only for the flag asked', async () => {
    const onlyWhenOn = sim.pauseAt('sync:before', { flag: true });
    const off = await http(sim, 'POST', '/api/referrals/sync');
    expect(off.ok && off.status).toBe(400);
    expect(onlyWhenOn.isReached()).toBe(false);
    onlyWhenOn.release();
  });
});
