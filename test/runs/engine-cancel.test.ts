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
  it('runs exactly the runbook commands, in the runbook order', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, flag: false, taskDelayMs: 10 });
    await installTokenCache(sim, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID }));
    const before = sim.composeCalls().length;
    const { ctx } = simContext(simEnvironment(sim, db.url));
    const phases = await runPhases(ctx, [0, 1, 3], notCalled);
    expect(phases.map((p) => p.status)).toEqual(['pass', 'pass', 'pass']);

    const head = ['compose', '--project-directory', sim.projectDir];
    const calls = sim.composeCalls().slice(before);
    for (const call of calls) expect(call.slice(0, 3)).toEqual(head);
    const commands = calls.map((c) => c.slice(3));
    const celery = ['exec', '-T', 'worker', 'celery', '-A', 'app.core.celery_app'];
    const task = 'app.core.tasks.sync_partner_center_referrals_task';
    const distinct = commands
      .map((c) => (c[0] === 'logs' ? 'logs' : c.includes('result') ? 'result' : c.join(' ')))
      .filter((c, i, all) => c !== all[i - 1]);
    expect(distinct).toEqual([
      'exec -T api printenv',
      'exec -T api alembic upgrade head',
      'restart api worker',
      [...celery, 'call', task].join(' '),
      'result',
      'logs',
      'restart api worker',
      'result',
      'logs',
    ]);
    const result = commands.find((c) => c.includes('result'))!;
    expect(result.slice(0, -1)).toEqual([...celery, 'result']);
    const logs = commands.find((c) => c[0] === 'logs')!;
    expect(logs).toEqual([
      'logs',
      '--no-log-prefix',
      '--since',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'worker',
    ]);
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
