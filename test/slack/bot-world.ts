import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { type HunterFaults, type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { postSigned, slashCommandBody } from '../../sim/slack/sign.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../sim/slack/web-api.ts';
import type { Config } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import { type RunningBot, startBot } from '../../src/slack/bot.ts';
import { createTestDatabase, REDIS_URL, type TestDatabase, uniqueName } from '../helpers/services.ts';

export const SECRET = 'bot-test-signing-secret-0123456789';
export const ALICE = 'U0ALICE0001';
export const BOB = 'U0BOB000001';
export const MALLORY = 'U0MALLORY01';
export const CHANNEL = 'C0VERIFY001';
export const OTHER_CHANNEL = 'C0RANDOM001';
export const APPROVERS = 'S0APPROVE01';
const CLIENT = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
const TENANT = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';

/** Everything a bot test needs: fake Slack, fake Azure AD, a Hunter simulator, real Redis/PostgreSQL. */
export interface BotWorld {
  slack: FakeSlackApi;
  aad: FakeAad;
  sim: HunterSim;
  db: TestDatabase;
  config: Config;
  bot: RunningBot;
  eventsUrl: string;
  slash(text: string, user?: string, channel?: string): Promise<{ status: number; text: string }>;
  restartBot(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBotWorld(
  options: {
    faults?: Partial<HunterFaults>;
    tier?: string;
    leaseMs?: number;
    stalledIntervalMs?: number;
  } = {},
): Promise<BotWorld> {
  const slack = await startFakeSlackApi();
  for (const [id, name] of [
    [ALICE, 'alice'],
    [BOB, 'bob'],
    [MALLORY, 'mallory'],
  ] as const) {
    slack.addUser({ id, name });
  }
  slack.addUserGroup(APPROVERS, [BOB]);
  slack.addChannel(CHANNEL, { name: 'pc-verify' });
  slack.addChannel(OTHER_CHANNEL, { name: 'random' });
  const aad = await startFakeAad({ pollIntervalSec: 0.05 });
  aad.registerClient(CLIENT, { tenantId: TENANT });
  const db = await createTestDatabase();
  const sim = await startHunterSim({
    databaseUrl: db.url,
    clientId: CLIENT,
    tenantId: TENANT,
    taskDelayMs: 20,
    aad: { tokenUrl: (t) => aad.tokenUrl(t), ca: aad.ca },
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const config = parseConfig(
    JSON.stringify({
      deployment: uniqueName('bot').replaceAll('_', '-'),
      environments: {
        staging: {
          tier: options.tier ?? 'staging',
          api: { baseUrl: sim.apiUrl, readyTimeout: '10s' },
          database: { url: db.url },
          driver: { kind: 'compose', projectDir: sim.projectDir, commandTimeout: '10s' },
          auth: {
            authority: `https://${aad.host}/{tenantId}`,
            knownAuthorities: [aad.host],
            loginTimeout: '60s',
          },
          policy: { requesters: [ALICE], approvers: [APPROVERS], channels: [CHANNEL] },
        },
      },
    }),
    'bot-test',
    {},
  );
  const trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
  const launch = () =>
    startBot({
      config,
      redisUrl: REDIS_URL,
      role: 'all',
      port: 0,
      slack: { botToken: slack.botToken, signingSecret: SECRET, apiUrl: slack.apiUrl },
      leaseMs: options.leaseMs ?? 10_000,
      stalledIntervalMs: options.stalledIntervalMs ?? 30_000,
      dispatcher: trust,
      log: silentLogger(),
    });
  let bot = await launch();
  const world: BotWorld = {
    slack,
    aad,
    sim,
    db,
    config,
    get bot() {
      return bot;
    },
    get eventsUrl() {
      return `http://127.0.0.1:${bot.port}/slack/events`;
    },
    async slash(text, user = ALICE, channel = CHANNEL) {
      const res = await postSigned(
        this.eventsUrl,
        slashCommandBody({ text, userId: user, channelId: channel }),
        {
          secret: SECRET,
        },
      );
      const body = res.body ? (JSON.parse(res.body) as { text?: string }) : {};
      return { status: res.status, text: body.text ?? '' };
    },
    async restartBot() {
      await bot.stop();
      bot = await launch();
    },
    async stop() {
      await bot.stop();
      await Promise.allSettled([sim.stop(), aad.stop(), slack.close(), trust.close()]);
      await db.drop();
    },
  };
  return world;
}

function silentLogger() {
  const noop = () => undefined;
  const logger = { info: noop, warn: noop, error: noop, debug: noop, child: () => logger };
  return logger as never;
}
