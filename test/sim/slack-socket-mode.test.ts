import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type FakeSlack, startFakeSlack } from '../../sim/slack/index.ts';
import { pollUntil } from '../helpers/poll.ts';

const ALICE = 'U0ALICE0001';
const CHANNEL = 'C0VERIFY001';

let fake: FakeSlack;
const apps: App[] = [];

function clientOptions() {
  return { slackApiUrl: fake.api.apiUrl, retryConfig: { retries: 0 } };
}

function withCommandHandler(app: App): App {
  app.command('/pc-verify', async ({ command, ack, say }) => {
    await ack({ response_type: 'ephemeral', text: `Queued ${command.text}` });
    await say(`Run for ${command.text}`);
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.api.addUser({ id: ALICE, name: 'alice' });
  fake.api.addChannel(CHANNEL, { name: 'pc-verify' });
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  fake.api.reset();
});

afterAll(async () => {
  await fake?.close();
});

describe('Socket Mode stand-in driving a real Bolt App', () => {
  it('connects through apps.connections.open, delivers a slash command and returns the ack', async () => {
    const app = withCommandHandler(
      new App({
        token: fake.api.botToken,
        appToken: fake.api.appToken,
        socketMode: true,
        deferInitialization: true,
        logLevel: LogLevel.ERROR,
        clientOptions: clientOptions(),
      }),
    );
    await app.init();
    await app.start();

    const ack = await fake.socket.sendSlashCommand({ text: 'staging', userId: ALICE, channelId: CHANNEL });

    expect(ack.payload).toMatchObject({ text: 'Queued staging', response_type: 'ephemeral' });
    expect(fake.api.calls('apps.connections.open').map((c) => c.tokenKind)).toEqual(['app']);
    await fake.api.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(fake.api.messages(CHANNEL).map((m) => m.text)).toEqual(['Run for staging']);
  });

  it('delivers clicks and events, and reconnects with a fresh URL after a refresh or a drop', async () => {
    // A short ping timeout makes the client's reconnect delay short (it waits one timeout).
    const receiver = new SocketModeReceiver({
      appToken: fake.api.appToken,
      clientPingTimeout: 1000,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: clientOptions() },
    });
    const app = withCommandHandler(
      new App({
        token: fake.api.botToken,
        receiver,
        deferInitialization: true,
        logLevel: LogLevel.ERROR,
        clientOptions: clientOptions(),
      }),
    );
    const clicks: string[] = [];
    app.action('approve', async ({ ack, action }) => {
      if (action.type === 'button') clicks.push(action.value ?? '');
      await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'divider' }] },
      });
    });
    await app.init();
    await app.start();

    const click = await fake.socket.sendBlockActions({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
      actionId: 'approve',
      value: 'run-7',
    });
    expect(click.envelope_id).toEqual(expect.any(String));
    expect(clicks).toEqual(['run-7']);
    await fake.socket.sendEvent(
      {
        type: 'app_home_opened',
        user: ALICE,
        channel: fake.api.dmOf(ALICE),
        tab: 'home',
        event_ts: '1700000000.000200',
      },
      { botUserId: fake.api.identity.botUserId },
    );
    await fake.api.waitForCall('views.publish');
    expect(fake.api.homeView(ALICE)).toMatchObject({ type: 'home' });

    const connectionsBefore = fake.socket.connectionCount;
    fake.socket.requestRefresh();
    await pollUntil(() => (fake.socket.connectionCount > connectionsBefore ? true : undefined), {
      what: 'reconnect',
    });
    fake.socket.dropConnections();
    await pollUntil(() => (fake.socket.connectionCount > connectionsBefore + 1 ? true : undefined), {
      what: 'reconnect',
    });

    const ack = await fake.socket.sendSlashCommand({ text: 'prod', userId: ALICE, channelId: CHANNEL });
    expect(ack.payload).toMatchObject({ text: 'Queued prod' });
    expect(fake.api.calls('apps.connections.open')).toHaveLength(3);
  });

  it('refuses a connection without a ticket from apps.connections.open, and a ticket used twice', async () => {
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url);
        socket.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('open', () => {
          resolve(101);
          socket.close();
        });
        socket.on('error', () => undefined);
      });

    expect(await status(`${fake.socket.origin}/link/?ticket=guessed`)).toBe(401);
    const url = fake.socket.issueConnectionUrl();
    expect(await status(url)).toBe(101);
    expect(await status(url)).toBe(401);
  });
});
