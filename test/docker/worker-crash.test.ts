import { describe, expect, it, vi } from 'vitest';
import { envFileFlag, killServe, useDockerBot } from '../helpers/docker-bot.ts';
import { dockerReadiness, useDockerWorld } from '../helpers/docker-world.ts';
import { startRun } from '../helpers/flag-matrix.ts';
import { pollUntil } from '../helpers/poll.ts';
import { STAGING } from '../slack/bot-world.ts';

/*
 * A pc-verify worker SIGKILLed inside prod Phase 3, right after it wrote ON to a real
 * deployment's `.env` (while the containers restart): the next worker must bring the flag to a
 * verified state — ON only with a passing Phase 3 — and free the environment.
 */

const docker = await dockerReadiness();

describe.skipIf(!docker.ok)('a pc-verify worker killed in prod Phase 3 on a real docker daemon', () => {
  vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 });
  const world = useDockerWorld();
  const bot = useDockerBot(world, { compose: 'v2', env: 'bind', tier: 'prod', flag: false });

  it('is reconciled by the next worker: the file, the containers, /healthz and the record agree', async () => {
    const { deployment } = bot;
    world.aad.autoApprove();
    const first = await bot.serve();
    const id = await startRun(bot.world, first, 'prod');
    await pollUntil(async () => ((await envFileFlag(deployment)) ? true : undefined), {
      timeoutMs: 180_000,
      intervalMs: 20,
      what: "Phase 3's ON write to .env",
    });
    await killServe(first);
    await bot.serve();
    const run = await bot.world.finished(id, 180_000);
    const record = await bot.world.flags.get(STAGING);
    expect(record?.unverified).toBeUndefined();
    expect(record?.observed).toBe(record?.desired);
    const on = record?.observed === 'on';
    if (on) expect(run.state).toBe('passed');
    expect(await envFileFlag(deployment)).toBe(on);
    expect(await pollUntil(() => deployment.healthFlag(), { timeoutMs: 60_000, what: '/healthz' })).toBe(on);
    expect(await bot.world.runs.lockHolder(STAGING)).toBeUndefined();
  });
});
