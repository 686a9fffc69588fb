import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned, slashCommandBody } from '../../sim/slack/sign.ts';
import { Gate } from '../helpers/gate.ts';
import { pollUntil } from '../helpers/poll.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { ALICE, type BotWorld, CHANNEL, SECRET, startBotWorld } from './bot-world.ts';

// Slack waits 3 s for an ack, then shows the person an error while the work may still happen:
// the ack must not wait for Redis or Slack. Both are held here at a gate in front of the bot,
// so no call of the bot's can complete until the test lets it.
let world: BotWorld;
let redis: Gate;
let slack: Gate;
let botUrl: string;

beforeAll(async () => {
  world = await startBotWorld({ bot: false });
  redis = await Gate.open(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
  slack = await Gate.open(Number(new URL(world.slack.api.url).port));
  const bot = await world.startBot({
    role: 'web',
    redisUrl: `redis://127.0.0.1:${redis.port}`,
    slackApiUrl: `http://127.0.0.1:${slack.port}/api/`,
  });
  botUrl = bot.url;
});
afterAll(async () => {
  redis?.release();
  slack?.release();
  await world?.stop();
  await Promise.all([redis?.close(), slack?.close()]);
});

/** A response_url of the fake Slack, reached through the Slack gate like every Slack call. */
function gatedResponseUrl(): { url: string; real: string } {
  const real = world.responseUrl(CHANNEL, ALICE);
  const url = new URL(real);
  url.port = String(slack.port);
  return { url: url.toString(), real };
}

describe('ack first', () => {
  it('acks a slash command with 200 while every Redis and Slack call it makes is held, then answers', async () => {
    const { url, real } = gatedResponseUrl();
    redis.hold();
    slack.hold();
    const ack = await postSigned(
      `${botUrl}/slack/events`,
      slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL, responseUrl: url }),
      { secret: SECRET },
    );
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    // The command's own work is under way and stuck at the gate: the ack did not wait for it.
    await pollUntil(() => (redis.heldBytes > 0 ? true : undefined), { what: 'the command to call Redis' });
    expect(world.slack.api.responses().filter((r) => r.url === real)).toHaveLength(0);

    redis.release();
    slack.release();
    // Once Redis and Slack answer, the person gets the real answer where they typed.
    expect(await world.answerOn(real)).toMatch(/Starting run|cannot reach its Redis/);
  });

  it('answers help in the ack itself while Redis and Slack are held', async () => {
    redis.hold();
    slack.hold();
    const ack = await postSigned(
      `${botUrl}/slack/events`,
      slashCommandBody({
        text: 'help',
        userId: ALICE,
        channelId: CHANNEL,
        responseUrl: gatedResponseUrl().url,
      }),
      { secret: SECRET },
    );
    redis.release();
    slack.release();
    expect(ack.status).toBe(200);
    expect((JSON.parse(ack.body) as { text: string }).text).toContain('`/pc-verify <env>`');
  });

  it('acks a click with 200 while Redis and Slack are held; the refusal then shows in its thread', async () => {
    redis.hold();
    slack.hold();
    const ack = await postSigned(
      `${botUrl}/slack/events`,
      blockActionsBody({
        userId: ALICE,
        channelId: CHANNEL,
        messageTs: '1700000000.000100',
        actionId: 'pcv_not_a_button',
        value: 'r0000000000000000',
        teamId: world.slack.api.identity.teamId,
        apiAppId: world.slack.api.identity.appId,
        message: { text: 'a button of another bot', thread_ts: '1700000000.000001' },
      }),
      { secret: SECRET },
    );
    expect(ack.status).toBe(200);
    await pollUntil(() => (redis.heldBytes > 0 ? true : undefined), { what: 'the click to call Redis' });
    redis.release();
    slack.release();
    const refusal = await pollUntil(
      () =>
        world.slack.api
          .calls('chat.postEphemeral')
          .find((c) => String(c.args.text).includes('does not know')),
      { what: 'the refusal of the unknown button' },
    );
    expect(refusal.args.thread_ts).toBe('1700000000.000001');
  });
});
