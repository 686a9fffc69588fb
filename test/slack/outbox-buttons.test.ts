import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysFor } from '../../src/store/keys.ts';
import { LoginDmStore } from '../../src/store/login-dm.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, type BotWorld, CHANNEL, startBotWorld } from './bot-world.ts';

let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({
    tier: 'prod',
    policy: { approvalTtl: '1h' },
  });
});
afterAll(async () => {
  await world?.stop();
});

const hasButtons = (blocks: readonly unknown[] | undefined) =>
  (blocks ?? []).some((b) => (b as { type?: string }).type === 'actions');

describe('buttons through the outbox', () => {
  it('closes an approval request that Slack only got after its run was cancelled', async () => {
    const id = await world.start();
    const code = await world.nextCode();
    // The code is shown in the DM at once, not through the outbox: let it arrive before Slack goes.
    await pollUntil(
      async () => {
        const dm = await new LoginDmStore(world.redis, keysFor(world.config.deployment)).get(id);
        return dm && (world.slack.api.message(dm.channel, dm.ts)?.text ?? '').includes(code) ? dm : undefined;
      },
      { what: 'the code in the DM' },
    );
    world.aad.approve(code);
    // Slack is away from before the request until after the run ended: both notices wait.
    world.slack.api.setDown(true);
    await world.waitForRun(
      id,
      (r) => r.state === 'awaiting_approval',
      'the run to wait for approval',
      30_000,
    );
    await world.slash('cancel staging', ALICE);
    // Not world.finished: that reads the root message, which waits for Slack too.
    const ended = await world.waitForRun(id, (r) => r.report !== undefined, 'the run to end');
    expect(ended.state).toBe('cancelled');
    expect(ended.approval?.messageTs).toBeUndefined();

    world.slack.api.setDown(false);
    const key = keysFor(world.config.deployment).outboxThreads;
    await pollUntil(async () => ((await world.redis.scard(key)) === 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the outbox to drain',
    });
    const messageTs = (await world.runs.get(id))?.approval?.messageTs;
    expect(messageTs).toBeDefined();
    const request = world.slack.api.message(CHANNEL, messageTs ?? '');
    expect(hasButtons(request?.blocks)).toBe(false);
    expect(request?.text).toContain('the run was cancelled');
  }, 90_000);
});
