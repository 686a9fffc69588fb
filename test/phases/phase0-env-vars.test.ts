import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { checkEnvVars } from '../../src/phases/phase0.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { simContext, simEnvironment } from '../helpers/sim-env.ts';

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function startSim(appReadsDotenv: boolean) {
  sim = await startHunterSim({ databaseUrl: db.url, appReadsDotenv });
  return sim;
}

const COMPARED = [
  'HUNTER_PARTNER_CENTER_CLIENT_ID',
  'HUNTER_PARTNER_CENTER_TENANT_ID',
  'HUNTER_PARTNER_CENTER_API_URL',
];

describe('env.vars against the running api', () => {
  it('passes a healthy deployment whose app reads .env itself, and says what it saw instead of a difference', async () => {
    const started = await startSim(true);
    for (const name of COMPARED) expect(started.serviceEnv('api')).not.toHaveProperty(name);
    const { ctx } = simContext(simEnvironment(started, db.url));

    const outcome = await checkEnvVars(ctx);

    expect(outcome.status).toBe('pass');
    expect(outcome.observed).toContain(
      `the api container's environment does not set ${COMPARED.join(', ')}; Hunter reads them from .env`,
    );
    expect(outcome.observed).not.toContain('different');
  });

  it('passes without a note when the container sees the same values as the env file', async () => {
    const started = await startSim(false);
    expect(started.serviceEnv('api').HUNTER_PARTNER_CENTER_CLIENT_ID).toBe(DEFAULT_CLIENT_ID);
    const { ctx } = simContext(simEnvironment(started, db.url));

    const outcome = await checkEnvVars(ctx);

    expect(outcome).toEqual({
      status: 'pass',
      observed: expect.not.stringMatching(/different|does not set/),
    });
  });

  it('warns on a real difference: the container was started with another client id than the file holds', async () => {
    const started = await startSim(false);
    const text = await readFile(started.envFile, 'utf8');
    await writeFile(started.envFile, text.replace(DEFAULT_CLIENT_ID, '11111111-2222-3333-4444-555555555555'));
    const { ctx } = simContext(simEnvironment(started, db.url));

    const outcome = await checkEnvVars(ctx);

    expect(outcome.status).toBe('warn');
    expect(outcome.observed).toContain('the running api sees a different HUNTER_PARTNER_CENTER_CLIENT_ID');
    expect(outcome.observed).not.toContain('TENANT_ID, ');
    expect(outcome.observed).not.toContain('11111111');
  });
});
