import { afterEach, describe, expect, it } from 'vitest';
import { type HunterSim, type HunterSimOptions, startHunterSim } from '../../sim/hunter/index.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { runPhase0 } from '../../src/phases/phase0.ts';
import { runPhase1 } from '../../src/phases/phase1.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { simContext, simEnvironment } from '../helpers/sim-env.ts';

// The driver's own hints reach the person: what docker said went wrong, not the runbook's hint
// for the step that happened to run into it.

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** A host the Engine API client cannot reach: the compose CLI does everything (its fallback). */
const SSH_HOST = 'ssh://ops@hunter.example';

async function environment(
  options: Omit<HunterSimOptions, 'databaseUrl'>,
  host?: string,
): Promise<EnvironmentConfig> {
  sim = await startHunterSim({ databaseUrl: db.url, taskDelayMs: 20, ...options });
  const env = simEnvironment(sim, db.url, { readyTimeout: '20s' });
  if (host === undefined || env.driver.kind !== 'compose') return env;
  return { ...env, driver: { ...env.driver, host } };
}

const failed = <T extends { status: string }>(checks: readonly T[]) =>
  checks.find((c) => c.status === 'fail');

describe.each([
  ['the Engine API', undefined],
  ['the compose CLI', SSH_HOST],
])('hints from docker itself, through %s', (_via, host) => {
  it('names a program the image lacks (exit 126), not a failed migration', async () => {
    const env = await environment({ faults: { missingProgram: 'alembic' } }, host);
    const { checks } = await runPhase0(simContext(env).ctx);
    const migrate = failed(checks);
    expect(migrate?.id).toBe('db.migrate');
    expect(migrate?.observed).toMatch(/executable file not found/);
    expect(migrate?.hint).toMatch(/The api image has no `alembic` on its PATH/);
    expect(migrate?.hint).not.toMatch(/migration failed/);
  });

  it('says a stopped api is to be started, not that the migration failed', async () => {
    const env = await environment({}, host);
    sim!.setFaults({ down: true });
    const { checks } = await runPhase0(simContext(env).ctx);
    const migrate = failed(checks);
    expect(migrate?.id).toBe('db.migrate');
    expect(migrate?.observed).toMatch(/not running/);
    expect(migrate?.hint).toMatch(/`docker compose up -d api`/);
  });
});

describe('a compose CLI that ignores an option', () => {
  it('fails logs.off with the CLI’s own hint when docker-compose 1.25 prints usage for --no-log-prefix', async () => {
    const env = await environment({ compose: 'v1', composeV1Release: '1.25.0' }, SSH_HOST);
    const { checks } = await runPhase1(simContext(env).ctx);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['flag.off', 'pass'],
      ['health.off', 'pass'],
      ['api.off', 'pass'],
      ['task.off', 'pass'],
      ['logs.off', 'fail'],
    ]);
    const logs = checks.at(-1)!;
    expect(logs.observed).toMatch(/printed its usage instead of logs/);
    expect(logs.hint).toMatch(/compose CLI is older than pc-verify expects/);
    expect(logs.hint).not.toMatch(/logging \(or the flag check\) is wrong/);
  });
});
