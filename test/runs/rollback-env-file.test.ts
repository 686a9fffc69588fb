import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { runVerification } from '../../src/engine/run-phases.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { phase2NotCalled, simContext, simEnvironment } from '../helpers/sim-env.ts';
import { installTokenCache, tokenCacheJson } from '../sim/helpers/hunter.ts';

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const FLAG = 'HUNTER_PARTNER_CENTER_ENABLED';
const isRecreate = (argv: readonly string[]) => argv.includes('up') && argv.includes('--force-recreate');

describe('the rollback of a failed Phase 3 on an env_file: deployment', () => {
  it('recreates as the run did, and leaves both containers created with the flag OFF', async () => {
    // With env_file: the values are fixed when a container is created: a restart would keep ON.
    const s = await startHunterSim({
      databaseUrl: db.url,
      envMode: 'env-file',
      flag: false,
      taskDelayMs: 20,
    });
    sim = s;
    expect((await installTokenCache(s, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID }))).exitCode).toBe(0);
    s.setFaults({ workerExceptionWhenOn: true });
    const { ctx } = simContext(simEnvironment(s, db.url, { tier: 'prod' }));

    const report = await runVerification({
      ctx,
      runId: 'run-envfile-rollback' as RunId,
      phases: [0, 1, 3],
      phase2: phase2NotCalled,
    });

    expect(report.state).toBe('rolled_back');
    expect(report.switchOff?.ok).toBe(true);
    expect(report.switchOff?.checks[0]?.observed).toMatch(/api and worker recreated/);
    // Phase 1, Phase 3 and the rollback: each a recreate, and nothing restarted in place.
    expect(s.composeCalls().filter(isRecreate)).toHaveLength(3);
    expect(s.engineCalls().filter((c) => c.endsWith('/restart'))).toEqual([]);
    // Their environment, not only the file: what the processes run with and what they were created with.
    for (const service of ['api', 'worker'] as const) expect(s.serviceEnv(service)[FLAG]).toBe('false');
    const states = await ctx.target.containers!.states(AbortSignal.timeout(5_000));
    expect(states.ok && states.value.map((c) => [c.service, c.flagAtCreate])).toEqual([
      ['api', 'false'],
      ['worker', 'false'],
    ]);
  });
});
