import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appHomeOpenedBody,
  blockActionsBody,
  forgedHeaders,
  postRaw,
  postSigned,
  signRequest,
  slashCommandBody,
  staleTimestamp,
} from '../../sim/slack/sign.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../sim/slack/web-api.ts';
import { pollUntil } from '../helpers/poll.ts';

const SECRET = 'test-signing-secret-0123456789';
const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const CHANNEL = 'C0VERIFY001';
const ELSEWHERE = 'C0RANDOM001';
const APPROVERS = 'S0APPROVE01';

let fake: FakeSlackApi;
let app: App;
let eventsUrl: string;
const commandsSeen: string[] = [];

function approvalBlocks(runId: string) {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `Run *${runId}* waits for approval` } },
    {
      type: 'actions',
      block_id: 'approval',
      elements: [
        { type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: runId },
      ],
    },
  ];
}

beforeAll(async () => {
  fake = await startFakeSlackApi();
  fake.addUser({ id: ALICE, name: 'alice' });
  fake.addUser({ id: BOB, name: 'bob' });
  fake.addUserGroup(APPROVERS, [BOB]);
  fake.addChannel(CHANNEL, { name: 'pc-verify' });
  fake.addChannel(ELSEWHERE, { name: 'random', botIsMember: false });
  app = new App({
    token: fake.botToken,
    signingSecret: SECRET,
    deferInitialization: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/pc-verify', async ({ command, ack, say, respond }) => {
    commandsSeen.push(command.text);
    await ack({ response_type: 'ephemeral', text: `Queued ${command.text}` });
    if (command.text === 'help') {
      await respond({ text: 'Usage: /pc-verify <env>' });
      return;
    }
    await say({ text: `Run for ${command.text}`, blocks: approvalBlocks(`run-${command.text}`) });
  });
  app.action('approve', async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || body.channel === undefined) return;
    const ts = body.container.message_ts as string;
    await client.chat.update({
      channel: body.channel.id,
      ts,
      text: `Approved ${action.value} by <@${body.user.id}>`,
    });
    await client.chat.postMessage({
      channel: body.channel.id,
      thread_ts: ts,
      text: `approved by <@${body.user.id}>`,
    });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*staging*: PASS' } }],
      },
    });
  });
  await app.init();
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
});

describe('signed requests into a real Bolt HTTP receiver', () => {
  it('delivers a slash command to the handler, whose say() lands in the fake', async () => {
    const res = await postSigned(
      eventsUrl,
      slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL }),
      {
        secret: SECRET,
      },
    );

    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ text: 'Queued staging' });
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(call.tokenKind).toBe('bot');
    expect(call.args.blocks).toEqual(approvalBlocks('run-staging'));
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['Run for staging']);
  });

  it('sends respond() to the response_url, which shows the answer to that person only', async () => {
    const responseUrl = fake.responseUrl('commands', { channel: CHANNEL, userId: ALICE });
    const body = slashCommandBody({ text: 'help', userId: ALICE, channelId: CHANNEL, responseUrl });
    expect((await postSigned(eventsUrl, body, { secret: SECRET })).status).toBe(200);

    const [answer] = await pollUntil(() => nonEmpty(fake.ephemerals({ user: ALICE })), {
      what: 'ephemeral answer',
    });
    expect(answer).toMatchObject({ text: 'Usage: /pc-verify <env>', via: 'response_url' });
    expect(fake.messages(CHANNEL)).toEqual([]);
  });

  it('refuses forged, stale, tampered and mis-typed requests before any handler runs', async () => {
    const before = commandsSeen.length;
    const { rawBody } = slashCommandBody({ text: 'prod', userId: ALICE, channelId: CHANNEL });

    expect((await postRaw(eventsUrl, rawBody, forgedHeaders(rawBody))).status).toBe(401);
    expect((await postSigned(eventsUrl, rawBody, { secret: SECRET, ts: staleTimestamp() })).status).toBe(401);
    const tampered = rawBody.replace('text=prod', 'text=staging');
    expect((await postRaw(eventsUrl, tampered, signRequest(SECRET, rawBody))).status).toBe(401);
    const charset = await postSigned(eventsUrl, rawBody, {
      secret: SECRET,
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
    });
    expect(charset.status).toBe(400);
    expect(commandsSeen.length).toBe(before);
    expect(fake.calls('chat.postMessage')).toEqual([]);
  });

  it('delivers a button click to app.action, and chat.update/thread replies show in the fake', async () => {
    const posted = await app.client.chat.postMessage({
      channel: CHANNEL,
      text: 'approve?',
      blocks: approvalBlocks('run-1'),
    });
    const ts = posted.ts as string;

    const click = blockActionsBody({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: ts,
      actionId: 'approve',
      value: 'run-1',
    });
    expect((await postSigned(eventsUrl, click, { secret: SECRET })).status).toBe(200);

    await fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === ts);
    const message = fake.message(CHANNEL, ts);
    expect(message?.text).toBe(`Approved run-1 by <@${BOB}>`);
    expect(message?.blocks).toEqual(approvalBlocks('run-1'));
    expect(message?.versions).toHaveLength(2);
    expect(fake.thread(CHANNEL, ts).map((m) => m.text)).toEqual([`approved by <@${BOB}>`]);
    expect(fake.messages(CHANNEL).map((m) => m.ts)).toEqual([ts]);
  });

  it('delivers app_home_opened as JSON, and views.publish sets the Home tab', async () => {
    const body = appHomeOpenedBody({
      userId: ALICE,
      channelId: fake.dmOf(ALICE),
      botUserId: fake.identity.botUserId,
    });
    expect((await postSigned(eventsUrl, body, { secret: SECRET })).status).toBe(200);

    await fake.waitForCall('views.publish');
    expect(fake.homeView(ALICE)).toMatchObject({ type: 'home', blocks: [{ type: 'section' }] });
  });
});

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length > 0 ? list : undefined;
}
