import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisSentinelUnderTest, startRedisSentinel } from '../helpers/redis-sentinel.ts';
import { type BotWorld, startBotWorld } from '../slack/bot-world.ts';

// The config's `redis: { sentinel }`: the bot finds its primary through Sentinel.
let sentinel: RedisSentinelUnderTest;
let world: BotWorld;

beforeAll(async () => {
  sentinel = await startRedisSentinel();
  world = await startBotWorld({
    tier: 'staging',
    redis: { sentinel: { name: sentinel.name, sentinels: [`127.0.0.1:${sentinel.sentinelPort}`] } },
  });
}, 60_000);
afterAll(async () => {
  await world?.stop();
  await sentinel?.stop();
});

describe('the bot through Redis Sentinel', () => {
  it('runs a verification to PASS with its state on the primary Sentinel names', async () => {
    const id = await world.start();
    world.aad.approve(await world.nextCode());
    const run = await world.finished(id, 30_000);
    expect(run.report).toMatchObject({ verdict: 'PASS' });
    expect(world.redis.options).toMatchObject({ name: sentinel.name });
    const onPrimary = await sentinel.cli(sentinel.primaryPort, 'keys', `{${world.config.deployment}}*`);
    expect(onPrimary).toContain(`{${world.config.deployment}}:bull:`);
    expect(onPrimary).toContain(`{${world.config.deployment}}:audit:staging`);
  });
});
