import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  type HunterFaults,
  type HunterSim,
  startHunterSim,
} from '../../sim/hunter/index.ts';
import type { CheckId } from '../../src/domain/check.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { runPhases, runVerification } from '../../src/engine/run-phases.ts';
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

/** A simulator with a usable token cache installed (Phase 3 needs one; Phase 2 is tested elsewhere). */
async function startWithCache(faults: Partial<HunterFaults>) {
  // Faults that act at start-up or at install time are set first; those that would stop the install after it.
  const { down, commandDelayMs, ...atStart } = faults;
  const started = await startHunterSim({
    databaseUrl: db.url,
    flag: false,
    taskDelayMs: 20,
    faults: atStart,
  });
  sim = started;
  const install = await installTokenCache(started, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID }));
  expect(install.exitCode).toBe(0);
  started.setFaults({ down: down ?? false, commandDelayMs: commandDelayMs ?? 0 });
  return started;
}

async function verify(faults: Partial<HunterFaults>, extra: Parameters<typeof simEnvironment>[2] = {}) {
  const started = await startWithCache(faults);
  const { ctx } = simContext(simEnvironment(started, db.url, extra));
  const phases = await runPhases(ctx, [0, 1, 3], notCalled);
  return phases.flatMap((p) => p.checks);
}

async function verifyWithWorkerException(tier: string) {
  const started = await startWithCache({ workerExceptionWhenOn: true });
  const { ctx } = simContext(simEnvironment(started, db.url, { tier }));
  const report = await runVerification({
    ctx,
    runId: 'run-after' as RunId,
    phases: [0, 1, 3],
    phase2: notCalled,
  });
  return { ctx, report };
}

describe('the engine against the Hunter simulator', () => {
  it('passes every check of Phases 0, 1 and 3 on a healthy deployment', async () => {
    const checks = await verify({});
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['env.vars', 'pass'],
      ['db.migrate', 'pass'],
      ['db.table', 'pass'],
      ['flag.off', 'pass'],
      ['health.off', 'pass'],
      ['api.off', 'pass'],
      ['task.off', 'pass'],
      ['logs.off', 'pass'],
      ['flag.on', 'pass'],
      ['health.on', 'pass'],
      ['api.on', 'pass'],
      ['logs.on', 'pass'],
      ['task.on', 'pass'],
    ]);
  });

  const cases: [string, Partial<HunterFaults>, CheckId, RegExp][] = [
    ['an empty env var', { emptyEnvVar: 'HUNTER_PARTNER_CENTER_TENANT_ID' }, 'env.vars', /Set the missing/],
    ['a failing migration', { migrationFails: true }, 'db.migrate', /migration failed/],
    ['a missing table', { tableMissing: true }, 'db.table', /table is missing/],
    ['a wrong column type', { wrongColumnType: true }, 'db.table', /wrong shape/],
    ['an OFF path answering 200', { offReturns200: true }, 'api.off', /app\/api\/referrals\.py/],
    ['an OFF path with another message', { offWrongMessage: true }, 'api.off', /OFF branch/],
    ['a task that runs while OFF', { taskRunsWhileOff: true }, 'task.off', /app\/core\/tasks\.py/],
    ['"enabled" in the OFF logs', { enabledInOffLogs: true }, 'logs.off', /logging/],
    [
      'a restart that ignores .env',
      { restartIgnoresEnv: true },
      'flag.on',
      /driver\.apply: recreate or auto/,
    ],
    [
      'a missing token cache',
      { tokenCache: 'missing' },
      'api.on',
      /Phase 2 did not leave a usable token cache/,
    ],
    [
      'a corrupt token cache',
      { tokenCache: 'corrupt' },
      'api.on',
      /Phase 2 did not leave a usable token cache/,
    ],
    [
      'a worker exception when ON',
      { workerExceptionWhenOn: true },
      'logs.on',
      /Partner Center API is unreachable/,
    ],
    ['Partner Center unreachable', { partnerCenterUnreachable: true }, 'logs.on', /network connectivity/],
    ['a service that is down', { down: true }, 'db.migrate', /up -d api/],
  ];

  it.each(cases)(
    'fails at the right check with the runbook hint: %s',
    async (_what, faults, failing, hint) => {
      const checks = await verify(faults);
      const index = checks.findIndex((c) => c.status === 'fail');
      expect(checks[index]?.id).toBe(failing);
      expect(checks[index]?.hint).toMatch(hint);
      for (const before of checks.slice(0, index)) expect(['pass', 'warn']).toContain(before.status);
    },
  );

  it('waits for a slow start within api.readyTimeout, and fails flag.off with a hint past it', async () => {
    const slowButInTime = await verify({ startDelayMs: 600 }, { readyTimeout: '10s' });
    expect(slowButInTime.every((c) => c.status === 'pass')).toBe(true);
    await sim?.stop();
    const tooSlow = await verify({ startDelayMs: 4_000 }, { readyTimeout: '1s' });
    const flag = tooSlow.find((c) => c.id === 'flag.off')!;
    expect(flag.status).toBe('fail');
    expect(flag.hint).toMatch(/readyTimeout/);
  });

  it('turns a hanging command into a failed check with a hint, within the command timeout', async () => {
    // The command would hang for 2 minutes, past the test's own limit: only the timeout ends it.
    const checks = await verify({ commandDelayMs: 120_000 }, { commandTimeout: '1s' });
    const failed = checks.find((c) => c.status === 'fail')!;
    // env.vars reads the env file itself and only warns that the running api could not be asked.
    expect(checks[0]).toMatchObject({ id: 'env.vars', status: 'warn' });
    expect(failed.id).toBe('db.migrate');
    expect(failed.observed).toMatch(/alembic upgrade head` in api did not finish within 1 s/);
    expect(failed.hint).toMatch(/hung or is slower than driver\.commandTimeout/);
    // Phase 0 failed, so nothing after it ran: the flag was never touched.
    expect(checks.map((c) => c.id)).not.toContain('flag.off');
    // The hung stand-in was killed: the simulator sees nobody waiting any more.
    await pollUntil(() => (sim?.openControlRequests() === 0 ? true : undefined), {
      what: 'the hung command to be gone',
    });
  });

  it('passes a slow but working deployment (every command takes 300 ms)', async () => {
    const checks = await verify({ commandDelayMs: 300 });
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });

  it('turns an api that accepts connections but never answers into a failed check with a hint', async () => {
    const checks = await verify({ apiDelayMs: 120_000 }, { readyTimeout: '2s', requestTimeout: '1s' });
    const failed = checks.find((c) => c.status === 'fail')!;
    expect(failed.id).toBe('flag.off');
    expect(failed.hint).toMatch(/readyTimeout/);
    expect(failed.observed).toMatch(/no answer|timed out|did not answer/i);
  });

  it('applies with recreate when the env file reaches the containers through env_file:', async () => {
    const checks = await verify({ restartIgnoresEnv: true }, { apply: 'recreate' });
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });
});

describe('after the phases', () => {
  it('rolls a failed Phase 3 back in prod: flag OFF, applied, verified, run rolled_back', async () => {
    const { ctx, report } = await verifyWithWorkerException('prod');
    expect(report.state).toBe('rolled_back');
    expect(report.verdict).toBe('FAIL');
    expect(report.switchOff?.ok).toBe(true);
    expect(report.switchOff?.checks.map((c) => c.id)).toEqual(['flag.off', 'health.off']);
    expect(report.reason).toMatch(/turned OFF again/);
    const health = await ctx.target.http.request({
      method: 'GET',
      path: '/healthz',
      signal: AbortSignal.timeout(5_000),
    });
    expect(health.ok && JSON.parse(health.body).partner_center_enabled).toBe(false);
  });

  it('leaves the flag ON after a failed Phase 3 when rollbackOnFailure is off (staging default)', async () => {
    const { report } = await verifyWithWorkerException('staging');
    expect(report.state).toBe('failed');
    expect(report.switchOff).toBeUndefined();
    expect(report.reason).toMatch(/Phase 3: logs.on failed/);
  });
});

describe('the prod outage guard', () => {
  async function prodWithFlagOn(confirm?: () => Promise<boolean>) {
    const started = await startHunterSim({ databaseUrl: db.url, flag: true, taskDelayMs: 20 });
    sim = started;
    const { ctx } = simContext(simEnvironment(started, db.url, { tier: 'prod' }));
    const before = started.composeCalls().length;
    const report = await runVerification({
      ctx,
      runId: 'run-guard' as RunId,
      phases: [0, 1],
      phase2: notCalled,
      ...(confirm ? { confirmFlagOff: confirm } : {}),
    });
    return {
      report,
      calls: started.composeCalls().slice(before),
      flag: started.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED,
    };
  }

  it('changes nothing when nobody confirms turning a live flag OFF', async () => {
    const { report, calls, flag } = await prodWithFlagOn();
    expect(report.state).toBe('cancelled');
    expect(report.reason).toMatch(/flag is ON in prod.*not confirmed, so nothing was changed/);
    expect(calls).toEqual([]);
    expect(flag).toBe('true');
  });

  it('goes on when the requester confirms', async () => {
    const { report, flag } = await prodWithFlagOn(async () => true);
    expect(report.verdict).toBe('PASS');
    expect(flag).toBe('false');
  });
});
