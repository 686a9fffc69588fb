import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { runPhases } from '../../src/engine/run-phases.ts';
import { pollUntil } from '../helpers/poll.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { phase2NotCalled, simContext, simEnvironment } from '../helpers/sim-env.ts';
import { installTokenCache, tokenCacheJson } from '../sim/helpers/hunter.ts';

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const notCalled = phase2NotCalled;

describe('the compose driver', () => {
  it('runs exactly the runbook commands, in the runbook order (Phase 0 reads together)', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, flag: false, taskDelayMs: 10 });
    await installTokenCache(sim, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID }));
    const before = sim.composeCalls().length;
    const { ctx } = simContext(simEnvironment(sim, db.url));
    const phases = await runPhases(ctx, [0, 1, 3], notCalled);
    expect(phases.map((p) => p.status)).toEqual(['pass', 'pass', 'pass']);

    // Everything goes through the Engine API: nothing reached the compose CLI stand-in.
    expect(sim.composeCalls().length).toBe(before);
    const celery = 'exec worker celery -A app.core.celery_app';
    const task = 'app.core.tasks.sync_partner_center_referrals_task';
    const distinct = sim
      .engineCalls()
      .filter((c) => /^(exec|restart|logs) /.test(c))
      .map((c) => (c.startsWith('logs') ? 'logs worker' : c.includes(' result ') ? 'result' : c))
      .map((c) => (c.startsWith('restart') ? 'restart' : c))
      .filter((c, i, all) => c !== all[i - 1]);
    // The runbook orders neither the variables nor the migration first: they run at once.
    expect(distinct.slice(0, 2).sort()).toEqual(['exec api alembic upgrade head', 'exec api printenv']);
    expect(distinct.slice(2)).toEqual([
      'restart',
      `${celery} call ${task}`,
      'result',
      'logs worker',
      'restart',
      'result',
      'logs worker',
    ]);
    // Both api and worker, at each apply.
    expect(
      sim
        .engineCalls()
        .filter((c) => c.startsWith('restart '))
        .sort(),
    ).toEqual(['restart api', 'restart api', 'restart worker', 'restart worker']);
    const logs = sim.engineCalls().find((c) => c.startsWith('logs '))!;
    expect(logs).toMatch(/^logs worker since=\d+$/);
  });
});

describe('cancelling a run', () => {
  it('stops a blocked child process at the cancel, not at its timeout', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, flag: false });
    const controller = new AbortController();
    // A timeout the test can outlive: a cancel that is ignored ends as `timeout`, not `cancelled`.
    const { ctx } = simContext(simEnvironment(sim, db.url, { commandTimeout: '5s' }), controller.signal);
    // `celery result` of a task nobody ran blocks, like AsyncResult.get() does.
    const blocked = ctx.target.commands.run(
      { kind: 'celeryResult', taskId: 'a0b1c2d3-0000-4000-8000-000000000000' },
      {
        signal: controller.signal,
      },
    );
    const current = sim;
    await pollUntil(() => (current.openControlRequests() > 0 ? true : undefined), {
      what: 'celery result to block',
    });
    controller.abort();
    const result = await blocked;
    expect(result).toMatchObject({ ok: false, reason: 'cancelled' });
    // The child itself is gone, not only our wait for it.
    await pollUntil(() => (current.openControlRequests() === 0 ? true : undefined), { what: 'release' });
  });

  it('stops waiting for a service that does not come back at the cancel: its checks are skipped, not failed', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, flag: true, faults: { startDelayMs: 60_000 } });
    const controller = new AbortController();
    // A wait the test can outlive: ignoring the cancel would fail the checks at 5 s instead.
    const { ctx, events } = simContext(
      simEnvironment(sim, db.url, { readyTimeout: '5s' }),
      controller.signal,
    );
    const running = runPhases(ctx, [1], notCalled);
    await pollUntil(() => events.find((e) => e.kind === 'flag_changed'), {
      what: 'the flag change',
      timeoutMs: 10_000,
    });
    controller.abort();
    const [phase] = await running;
    expect(phase?.checks.map((c) => c.status)).toEqual(['skip', 'skip', 'skip', 'skip', 'skip']);
  });
});
