import { describe, expect, it, vi } from 'vitest';
import { type ComposeVersion, type EnvDelivery, startDeployment } from '../helpers/docker-hunter.ts';
import { checkLines, runAsCli } from '../helpers/docker-run.ts';
import { dockerReadiness, useDockerWorld } from '../helpers/docker-world.ts';

/*
 * `pc-verify run staging` against Hunter in real containers, with a config that names only the
 * compose command and the project dir: what a new user writes. The second run finds the flag ON,
 * switches it OFF (Phase 1) and ON again (Phase 3).
 */

const docker = await dockerReadiness();

describe.skipIf(!docker.ok)('a staging run on a real docker daemon', () => {
  // Two full runs and a deployment brought up and down: each wait inside has a deadline of its own.
  vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });
  const world = useDockerWorld();

  // The four deployments people run: either compose, the file mounted or through env_file.
  const cases: [ComposeVersion, EnvDelivery][] = [
    ['v2', 'env_file'],
    ['v1', 'bind'],
    ['v1', 'env_file'],
    ['v2', 'bind'],
  ];

  it.each(cases)('passes twice with compose %s, .env through %s', async (compose, env) => {
    const deployment = await startDeployment({
      compose,
      env,
      envLines: world.envLines(false),
      caPem: world.aad.ca,
    });
    try {
      const config = world.environment(deployment);
      const first = await runAsCli(world, config);
      expect(checkLines(first.report)).not.toContainEqual(expect.not.stringMatching(/ (pass|warn)/));
      expect(first.report.verdict).toBe('PASS');
      expect(await deployment.healthFlag()).toBe(true);

      const second = await runAsCli(world, config);
      expect(checkLines(second.report)).not.toContainEqual(expect.not.stringMatching(/ (pass|warn)/));
      expect(second.report.verdict).toBe('PASS');
      // Run 1 left the flag ON: run 2's Phase 1 wrote it OFF, not found it off already.
      const flagOff = second.report.phases.flatMap((p) => p.checks).find((c) => c.id === 'flag.off');
      expect(flagOff?.observed).toContain('HUNTER_PARTNER_CENTER_ENABLED=false written');
      expect(await deployment.healthFlag()).toBe(true);
      // The worker used the token MSAL Python took from the cache pc-verify's MSAL Node wrote.
      const logs = await deployment.compose(['logs', '--no-color', 'worker']);
      expect(logs.stdout).toMatch(/partner_center_referrals_fetched/);
    } finally {
      await deployment.stop();
    }
  });
});
