import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll.ts';
import {
  APPROVERS,
  BOB,
  type BotWorld,
  CHANNEL,
  OPS_GROUP,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

// The kill switch exists for emergencies; Slack's directory being down must not disable it.
let world: BotWorld;
beforeAll(async () => {
  // The groups are read at start-up and then in the background, as the bot does in production.
  world = await startBotWorld({ tuning: { groupRefreshMs: 100 } });
  await pollUntil(
    () =>
      [OPS_GROUP, APPROVERS].every((group) =>
        world.slack.api.calls('usergroups.users.list').some((c) => c.args.usergroup === group),
      )
        ? true
        : undefined,
    { what: 'the start-up read of both user groups' },
  );
});
afterAll(async () => {
  await world?.stop();
});

describe('the kill switch with usergroups.users.list failing', () => {
  it('acts for a member of a listed group known from before the outage', async () => {
    world.slack.api.failNext('usergroups.users.list', 'service_unavailable', Number.POSITIVE_INFINITY);
    const failedRefresh = (group: string) =>
      world.logs.some((line) => line.includes('user group refresh failed') && line.includes(group));
    await pollUntil(() => (failedRefresh(OPS_GROUP) && failedRefresh(APPROVERS) ? true : undefined), {
      what: 'a failed background refresh of both groups',
    });
    // Past the cache's one-minute life: every group must now be looked up, and every lookup fails.
    world.clock.advance(5 * 60_000);
    const ack = await world.slash('off staging', BOB);
    expect(ack.text).toContain('Kill switch: turning the Partner Center flag OFF in *staging* now');
    await pollUntil(
      () =>
        world.slack.api
          .messages(CHANNEL)
          .find((m) => m.text?.includes('the Partner Center flag is OFF in *staging*')),
      { timeoutMs: 20_000, what: 'the kill switch outcome' },
    );
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    expect(await world.flags.get(STAGING)).toMatchObject({ desired: 'off', observed: 'off', by: BOB });
  });

  it('stops trusting members known only from more than a day ago', async () => {
    world.clock.advance(25 * 60 * 60_000);
    const ack = await world.slash('off staging', BOB);
    expect(ack.text).toContain('I could not check your user groups with Slack');
  });
});
