import { afterEach, describe, expect, it } from 'vitest';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { runPhase1 } from '../../src/phases/phase1.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { simContext, simEnvironment } from '../helpers/sim-env.ts';

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('a container that dies while pc-verify waits for /healthz', () => {
  it.each([
    ['restart', 'bind-mount'],
    ['recreate', 'env-file'],
  ] as const)(
    'fails the flag check with its exit code and last lines, not at readyTimeout (%s)',
    async (_how, envMode) => {
      sim = await startHunterSim({ databaseUrl: db.url, envMode });
      // The deploy broke app/main.py: the next start of the api dies on import.
      sim.setFaults({ apiCrashesAtStart: true });
      // Ten minutes: only the watch can end this within the test's own limit.
      const env = simEnvironment(sim, db.url, { readyTimeout: '10m' });
      const { checks } = await runPhase1(simContext(env).ctx);
      const flag = checks[0]!;
      expect(flag).toMatchObject({ id: 'flag.off', status: 'fail' });
      expect(flag.observed).toMatch(/-api-1 is exited \(exit code 1\) while pc-verify waited for \/healthz/);
      expect(flag.observed).toContain('File "/app/app/main.py", line 14');
      expect(flag.observed).toContain("SyntaxError: '(' was never closed");
      expect(flag.observed).not.toMatch(/did not answer within/);
      expect(flag.hint).toMatch(/The api does not stay up with the new env file/);
      expect(checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
    },
  );
});
