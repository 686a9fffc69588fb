import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVAL_LAPSED, LOST_WORKER } from '../../src/lifecycle/reaper.ts';
import { createRunQueue } from '../../src/lifecycle/run-queue.ts';
import { kill } from '../helpers/flag-matrix.ts';
import { pollUntil } from '../helpers/poll.ts';
import type { Served } from '../helpers/serve-process.ts';
import { useServedWorld } from '../helpers/served-world.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { ALICE, type BotWorld, CHANNEL, STAGING } from '../slack/bot-world.ts';

// The prod identity when the worker of a run dies with a stranger's sign-in staged: the reaper
// ends the run, the sign-in never goes live, and the staged refresh token does not stay behind.
vi.setConfig({ testTimeout: 120_000 });
const ATTACKER = 'ops.attacker@contoso.example';
// turn-off: every run leaves the flag OFF, so no run needs the outage confirmation.
const served = useServedWorld({ tier: 'prod', policy: { approvalTtl: '1h', afterPass: 'turn-off' } });
let world: BotWorld;
const bots: Served[] = [];
beforeAll(() => {
  world = served.world;
});
afterEach(async () => {
  world.sim.setFaults({ commandDelayMs: 0 });
  await Promise.all(bots.splice(0).map(kill));
  await Promise.all(world.bots.splice(0).map((b) => b.stop()));
});

const live = () => world.sim.tokenCacheFile()?.content;
const staged = () => world.sim.stagedTokenCacheFile()?.content;

/** A run started in its own `serve` process, its sign-in approved as the attacker's account. */
async function startSignedIn(): Promise<{ bot: Served; id: RunId }> {
  const bot = await served.serve();
  bots.push(bot);
  const ack = await world.slash('staging', ALICE, CHANNEL, bot);
  const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1] as RunId | undefined;
  if (!id) throw new Error(`no run started: ${ack.text}`);
  const code = await world.nextCode();
  // Each command now takes long enough for the kill to land between two of them.
  world.sim.setFaults({ commandDelayMs: 500 });
  world.aad.approve(code, { username: ATTACKER });
  return { bot, id };
}

async function stagedRemoved(): Promise<void> {
  await pollUntil(() => (staged() === undefined ? true : undefined), {
    timeoutMs: 30_000,
    what: 'the staged sign-in removed from the api container',
  });
}

describe('a prod run whose worker dies with a sign-in staged', () => {
  it('killed before it asked for the approval, its job lost: the reaper fails it and removes the staged sign-in', async () => {
    const before = live();
    const { bot, id } = await startSignedIn();
    await pollUntil(() => (staged()?.includes(ATTACKER) ? true : undefined), {
      what: 'the sign-in staged beside the live cache',
    });
    await kill(bot);
    world.sim.setFaults({ commandDelayMs: 0 });
    expect((await world.runs.get(id))?.approval).toBeUndefined();
    await obliterateQueue();
    await world.startBot();
    const run = await world.finished(id, 40_000);
    expect(run.state).toBe('failed');
    expect(run.report?.reason).toBe(LOST_WORKER);
    expect(live()).toBe(before);
    await stagedRemoved();
    expect(live()).toBe(before);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
  });

  it('killed while the run awaits its approval: the reaper of another process expires it and removes the staged sign-in', async () => {
    const before = live();
    const { bot, id } = await startSignedIn();
    await world.waitForRun(id, (r) => r.approval?.messageTs !== undefined, 'the approval request', 40_000);
    world.sim.setFaults({ commandDelayMs: 0 });
    expect(staged()).toContain(ATTACKER);
    await kill(bot);
    await world.startBot();
    world.clock.advance(61 * 60_000);
    const run = await world.finished(id, 30_000);
    expect(run.state).toBe('expired');
    expect(run.report?.reason).toBe(APPROVAL_LAPSED);
    expect(live()).toBe(before);
    await stagedRemoved();
    expect(live()).toBe(before);
  });
});

/** The job vanishes with the worker (say, a Redis failover lost it): no worker resumes the run by itself. */
async function obliterateQueue(): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createRunQueue(redis, world.config.deployment);
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
}
