import { describe, expect, it, vi } from 'vitest';
import { containerFlag, envFileFlag, useDockerBot } from '../helpers/docker-bot.ts';
import { dockerReadiness, useDockerWorld } from '../helpers/docker-world.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, CHANNEL, STAGING } from '../slack/bot-world.ts';

/*
 * `/pc-verify off` on a deployment whose `.env` reaches the containers through `env_file:`:
 * compose fixes those values when it creates a container, so OFF must reach both containers,
 * not only the file.
 */

const docker = await dockerReadiness();

describe.skipIf(!docker.ok)('the kill switch on a real docker daemon', () => {
  vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
  const world = useDockerWorld();
  const bot = useDockerBot(world, { compose: 'v2', env: 'env_file', tier: 'staging', flag: true });

  it('turns the flag OFF on an env_file deployment and verifies it in the file, both containers and /healthz', async () => {
    const { deployment } = bot;
    expect(await deployment.healthFlag()).toBe(true);
    const served = await bot.serve();
    const ack = await bot.world.slash('off staging', ALICE, CHANNEL, served);
    expect(ack.status).toBe(200);
    const record = await pollUntil(
      async () => {
        const r = await bot.world.flags.get(STAGING);
        return r?.owner.kind === 'kill' && (r.observed === 'off' || r.unverified !== undefined)
          ? r
          : undefined;
      },
      { timeoutMs: 120_000, what: 'the kill switch to finish' },
    );
    expect(record.unverified).toBeUndefined();
    expect(record).toMatchObject({ desired: 'off', observed: 'off' });
    expect(await envFileFlag(deployment)).toBe(false);
    expect(await deployment.healthFlag()).toBe(false);
    expect(await containerFlag(deployment, 'api')).toBe('false');
    expect(await containerFlag(deployment, 'worker')).toBe('false');
  });
});
