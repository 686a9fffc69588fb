import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCommand } from '../../src/cli/login.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { type BotWorld, STAGING, startBotWorld } from '../slack/bot-world.ts';

let world: BotWorld;
let config: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  world = await startBotWorld({ bot: false });
  config = await world.writeConfig();
});
afterAll(async () => {
  await config?.remove();
  await world?.stop();
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe('pc-verify login <env> in a terminal', () => {
  it('runs Phase 2 alone: code printed, cache installed, silent check; the flag untouched; holds the lock; audited', async () => {
    const envBefore = await readFile(world.sim.envFile, 'utf8');
    const cacheBefore = world.sim.tokenCacheFile()?.content;
    const term = io();
    let lockedDuring: string | undefined;
    const code = await loginCommand({ env: 'staging', config: config.path, redisUrl: REDIS_URL }, term.io, {
      dispatcher: world.trust,
      onHandoff: async (handoff) => {
        lockedDuring = await world.runs.lockHolder(STAGING);
        world.aad.approve(handoff.userCode);
      },
    });
    expect(code).toBe(0);
    expect(term.out.join('\n')).toContain('Sign-in renewed for staging');
    expect(term.err.join('\n')).toMatch(/enter the code [A-Z]{9}/);
    expect(term.err.join('\n')).toMatch(/✓ auth\.silent/);
    expect(world.sim.tokenCacheFile()?.content).not.toBe(cacheBefore);
    expect(await readFile(world.sim.envFile, 'utf8')).toBe(envBefore);
    expect(lockedDuring).toMatch(/^cli/);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    const latest = await world.results.latest(STAGING);
    expect(latest?.report).toMatchObject({ purpose: 'login', verdict: 'PASS', state: 'passed' });
    const actions = (await world.audit.entries(STAGING)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['login.start', 'run.finished']));
  });

  it('refuses while a run holds the environment', async () => {
    await world.redis.set(`{${world.config.deployment}}:lock:staging`, 'rsomeoneelse', 'PX', 60_000);
    try {
      await expect(
        loginCommand({ env: 'staging', config: config.path, redisUrl: REDIS_URL }, io().io, {
          dispatcher: world.trust,
        }),
      ).rejects.toThrow(/A run for staging is going \(rsomeoneelse\)/);
    } finally {
      await world.redis.del(`{${world.config.deployment}}:lock:staging`);
    }
  });
});
