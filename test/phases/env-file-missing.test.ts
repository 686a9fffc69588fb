import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HunterSim, type HunterSimOptions, startHunterSim } from '../../sim/hunter/index.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { runPhase3 } from '../../src/phases/phase3.ts';
import { runSwitchOff } from '../../src/phases/switch-off.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { simContext, simEnvironment } from '../helpers/sim-env.ts';

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(options: Omit<HunterSimOptions, 'databaseUrl'> = {}): Promise<HunterSim> {
  sim = await startHunterSim({ databaseUrl: db.url, ...options });
  return sim;
}

/** The driver edits `envFile` (relative to the project directory) instead of `.env`. */
function editing(env: EnvironmentConfig, envFile: string): EnvironmentConfig {
  if (env.driver.kind !== 'compose') throw new Error('compose expected');
  return { ...env, driver: { ...env.driver, envFile } };
}

describe('an env file that is not there', () => {
  it('fails the kill switch cleanly, saying so, and touches nothing', async () => {
    const s = await start({ flag: true });
    await rm(s.envFile);
    const checks = await runSwitchOff(simContext(simEnvironment(s, db.url)).ctx);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['flag.off', 'fail'],
      ['health.off', 'skip'],
    ]);
    expect(checks[0]?.observed).toBe(`the env file ${s.envFile} does not exist; pc-verify changed nothing`);
    expect(checks[0]?.hint).toContain(`create ${s.envFile} (Phase 0 lists the variables it needs)`);
    expect(checks[0]?.hint).not.toMatch(/pc-verify bug/);
    expect(s.composeCalls()).toEqual([]);
    expect(s.engineCalls().filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('fails Phase 3’s flag.on cleanly in Turkish too', async () => {
    const s = await start();
    await rm(s.envFile);
    const env = { ...simEnvironment(s, db.url), language: 'tr' as const };
    const { checks } = await runPhase3(simContext(env).ctx);
    expect(checks[0]).toMatchObject({ id: 'flag.on', status: 'fail' });
    expect(checks[0]?.observed).toBe(`env dosyası ${s.envFile} yok; pc-verify hiçbir şeyi değiştirmedi`);
    expect(checks[0]?.hint).toContain('dosyasını oluştur');
  });
});

describe('the env file compose’s env_file: names is missing when it recreates', () => {
  it.each([
    ['compose v2 (exit 14)', 'v2', /exited with code 14/],
    ['compose v1 (Couldn’t find env file)', 'v1', /exited with code 1/],
  ] as const)(
    '%s: the hint says which file compose wanted and which one pc-verify edits',
    async (_what, compose, exit) => {
      const s = await start({ envMode: 'env-file', compose });
      // pc-verify is pointed at a copy; the file the compose file names is gone.
      await copyFile(s.envFile, join(s.projectDir, 'hunter.env'));
      await rm(s.envFile);
      const env = editing(simEnvironment(s, db.url), 'hunter.env');
      const checks = await runSwitchOff(simContext(env).ctx);
      const flag = checks[0]!;
      expect(flag).toMatchObject({ id: 'flag.off', status: 'fail' });
      expect(flag.observed).toMatch(exit);
      expect(flag.hint).toContain(`Compose could not find ${s.envFile}`);
      expect(flag.hint).toContain(`pc-verify edits ${join(s.projectDir, 'hunter.env')}`);
      expect(flag.hint).not.toMatch(/could not be applied/);
    },
  );
});
