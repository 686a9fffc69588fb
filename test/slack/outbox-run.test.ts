import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysFor } from '../../src/store/keys.ts';
import { pollUntil } from '../helpers/poll.ts';
import { type BotWorld, CHANNEL, startBotWorld } from './bot-world.ts';

let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('a run whose thread goes through the outbox', () => {
  it('finishes during a Slack outage; the thread catches up when Slack is back, in order, nothing twice', async () => {
    const id = await world.start();
    world.aad.approve(await world.nextCode());
    await world.waitForRun(id, (r) => r.state === 'phase3', 'Phase 3', 30_000);
    // Slack is down for as long as the test says, not for a time.
    world.slack.api.setDown(true);
    const run = await world.waitForRun(id, (r) => r.report !== undefined, 'the run to finish', 30_000);
    expect(run.report?.verdict).toBe('PASS');
    const during = (await world.root(id)).thread;
    expect(during.some((t) => t.includes('PASS') && t.includes('verdict'))).toBe(false);

    world.slack.api.setDown(false);
    const key = keysFor(world.config.deployment).outboxThreads;
    await pollUntil(async () => ((await world.redis.scard(key)) === 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the outbox to drain',
    });
    const { thread, message } = await world.root(id);
    expect(message.text).toBe('pc-verify staging: PASS');
    const phases = thread.flatMap((t) => /^:\w+: \*Phase (\d)\* —/.exec(t)?.[1] ?? []);
    expect(phases).toEqual(['0', '1', '2', '3']);
    expect(thread.filter((t, i) => thread.indexOf(t) !== i)).toEqual([]);
    // A phase reply is rewritten in place as its checks end: each message keeps its place.
    const firstLines = (texts: readonly string[]) => texts.map((t) => t.split('\n')[0]);
    expect(firstLines(thread.slice(0, during.length)).map((l) => l?.replace(/^:\w+:/, ''))).toEqual(
      firstLines(during).map((l) => l?.replace(/^:\w+:/, '')),
    );
    expect(thread.length).toBeGreaterThan(during.length);
    expect(
      world.slack.api.messages(CHANNEL).filter((m) => m.text?.startsWith('pc-verify staging')),
    ).toHaveLength(1);
  });
});
