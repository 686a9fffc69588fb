import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { Cluster } from 'ioredis';
import { Agent } from 'undici';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { type HunterFaults, type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { type FakeSlack, startFakeSlack } from '../../sim/slack/index.ts';
import { postSigned, slashCommandBody } from '../../sim/slack/sign.ts';
import type { Config } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import type { RunRecord } from '../../src/domain/run.ts';
import { translator } from '../../src/i18n/index.ts';
import { startBot } from '../../src/main/all.ts';
import type { BotTuning, RunningBot } from '../../src/main/bot-options.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { stateWords } from '../../src/slack/views/run-message.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openRedis, type RedisConnection } from '../../src/store/connection.ts';
import { FlagRecordStore } from '../../src/store/flag-record.ts';
import { keysFor } from '../../src/store/keys.ts';
import { ResultStore } from '../../src/store/results.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { SteppedClock } from '../helpers/clock.ts';
import { keepEvidence, PLANTED, slackTraffic, withPlantedPassword } from '../helpers/evidence.ts';
import { pollUntil } from '../helpers/poll.ts';
import { createTestDatabase, REDIS_URL, type TestDatabase, uniqueName } from '../helpers/services.ts';

export const SECRET = PLANTED.signingSecret;
export const ALICE = 'U0ALICE0001';
export const BOB = 'U0BOB000001';
export const CAROL = 'U0CAROL0001';
export const MALLORY = 'U0MALLORY01';
export const CHANNEL = 'C0VERIFY001';
export const OTHER_CHANNEL = 'C0RANDOM001';
/** A user group of requesters; Carol is in it. */
export const OPS_GROUP = 'S0OPSTEAM01';
export const APPROVERS = 'S0APPROVE01';
export const STAGING = 'staging' as EnvName;
export const CLIENT = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
export const TENANT = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';

/** Short timings so crashes, cancels and hand-backs show within a test's budget. */
export const FAST: Partial<BotTuning> = {
  lockDurationMs: 1_500,
  stalledIntervalMs: 500,
  workingLeaseMs: 8_000,
  cancelPollMs: 100,
  shutdownGraceMs: 3_000,
  reapIntervalMs: 500,
  // Tests that are not about Slack's rate limit should not wait for it (bench/ and the
  // rate-limit tests set 1, as in production).
  chatPostsPerSecond: 50,
  notifierLeaseMs: 1_000,
  // Tests count group lookups: none ahead of need.
  groupRefreshMs: 0,
};

export interface WorldOptions {
  readonly faults?: Partial<HunterFaults>;
  readonly tier?: 'dev' | 'staging' | 'prod';
  readonly policy?: Record<string, unknown>;
  readonly api?: Record<string, unknown>;
  readonly transport?: 'http' | 'socket';
  readonly tuning?: Partial<BotTuning>;
  /** Start a bot in the test process (default true). */
  readonly bot?: boolean;
  /** The environment's `watch` (default: the config's default, every 10 minutes). */
  readonly watch?: Record<string, unknown> | false;
  /** The Redis the world and its bots use (default REDIS_URL): a private one a test may restart. */
  readonly redisUrl?: string;
  /** The config file's `redis:` (e.g. `{ cluster: [...] }`): the bots and the world use it instead. */
  readonly redis?: Record<string, unknown>;
  /** A fake Azure AD started by the test (e.g. on 443 of a loopback address); the world stops it. */
  readonly aad?: FakeAad;
  /** The environment's `api`, `database` and `driver` instead of the simulator's (a real deployment). */
  readonly target?: Readonly<{ api: object; database: object; driver: object }>;
  /** More environments beside staging, as the file writes them. */
  readonly environments?: Record<string, unknown>;
  /** The process environment the config's `env:NAME` values are read from (default none). */
  readonly configEnv?: Record<string, string>;
  /** The deployment's `language:` (unset: the config's default, English). */
  readonly language?: 'en' | 'tr';
}

/** A run's root message as Slack shows it, and the texts of its thread. */
export interface RootView {
  readonly ts: string;
  readonly message: ReturnType<FakeSlack['api']['message']> & object;
  readonly thread: string[];
}

export interface Ack {
  readonly status: number;
  readonly text: string;
}

/** Everything a bot test needs: fake Slack, fake Azure AD, a Hunter simulator, real Redis/PostgreSQL. */
export class BotWorld {
  readonly logs: string[] = [];
  /** The bots' lifecycle clock (approval expiry and record times): `world.clock.advance(ms)`. */
  readonly clock = new SteppedClock();
  readonly bots: RunningBot[] = [];
  readonly redis: RedisConnection;
  readonly runs: RunStore;
  readonly results: ResultStore;
  readonly audit: AuditLog;
  readonly flags: FlagRecordStore;

  constructor(
    readonly slack: FakeSlack,
    readonly aad: FakeAad,
    readonly sim: HunterSim,
    readonly db: TestDatabase,
    readonly config: Config,
    readonly configText: string,
    readonly trust: Agent,
    readonly options: WorldOptions,
  ) {
    this.redis = openRedis(config.redis ?? { kind: 'url', url: options.redisUrl ?? REDIS_URL });
    const keys = keysFor(config.deployment);
    this.runs = new RunStore(this.redis, keys);
    this.results = new ResultStore(this.redis, keys);
    this.audit = new AuditLog(this.redis, keys);
    this.flags = new FlagRecordStore(this.redis, keys);
  }

  get bot(): RunningBot {
    const bot = this.bots[0];
    if (!bot) throw new Error('no bot started');
    return bot;
  }

  /** `redisUrl` and `slackApiUrl` point this one bot elsewhere (e.g. through a `Gate`). */
  async startBot(
    overrides: {
      role?: 'web' | 'worker' | 'all';
      tuning?: Partial<BotTuning>;
      redisUrl?: string;
      slackApiUrl?: string;
    } = {},
  ): Promise<RunningBot> {
    const socket = this.options.transport === 'socket';
    const bot = await startBot({
      config: this.config,
      redisUrl: overrides.redisUrl ?? this.options.redisUrl ?? REDIS_URL,
      role: overrides.role ?? 'all',
      port: 0,
      host: '127.0.0.1',
      slack: {
        botToken: this.slack.api.botToken,
        ...(socket ? { appToken: this.slack.api.appToken } : { signingSecret: SECRET }),
        apiUrl: overrides.slackApiUrl ?? this.slack.api.apiUrl,
        retries: 0,
      },
      log: createLogger({
        level: 'debug',
        destination: { write: (line: string) => void this.logs.push(line) },
      }),
      tuning: { ...FAST, ...this.options.tuning, ...overrides.tuning },
      dispatcher: this.trust,
      now: this.clock.now,
    });
    this.bots.push(bot);
    return bot;
  }

  /**
   * `/pc-verify <text>` as Slack sends it: signed HTTP, or a Socket Mode envelope. The bot acks
   * before any I/O: with the answer when it needs none (help), else empty, and the answer then
   * goes to the response_url. Either way the text is what the person sees.
   */
  async slash(text: string, user = ALICE, channel = CHANNEL, bot: { url: string } = this.bot): Promise<Ack> {
    const responseUrl = this.responseUrl(channel, user);
    if (this.options.transport === 'socket') {
      const ack = await this.slack.socket.sendSlashCommand({
        text,
        userId: user,
        channelId: channel,
        responseUrl,
      });
      const inAck = String(ack.payload?.text ?? '');
      return { status: 200, text: inAck || (await this.answerOn(responseUrl)) };
    }
    const res = await postSigned(
      `${bot.url}/slack/events`,
      slashCommandBody({ text, userId: user, channelId: channel, responseUrl }),
      { secret: SECRET },
    );
    if (res.status !== 200) return { status: res.status, text: '' };
    const inAck = res.body ? ((JSON.parse(res.body) as { text?: string }).text ?? '') : '';
    return { status: 200, text: inAck || (await this.answerOn(responseUrl)) };
  }

  /** The text the bot sent to one response_url (each slash command gets its own). */
  async answerOn(responseUrl: string, timeoutMs = 15_000): Promise<string> {
    const answer = await pollUntil(() => this.slack.api.responses().find((r) => r.url === responseUrl), {
      timeoutMs,
      what: `the answer on ${responseUrl}`,
      intervalMs: 10,
    });
    return String(answer.body.text ?? '');
  }

  responseUrl(channel: string, user: string): string {
    return this.slack.api.responseUrl('commands', { channel, userId: user });
  }

  /** Starts a run, signs in, and waits for the approval request (a world whose env requires approval). */
  async awaitingApproval(): Promise<{ id: RunId; messageTs: string }> {
    const id = await this.start();
    this.aad.approve(await this.nextCode());
    const run = await this.waitForRun(
      id,
      (r) => r.approval?.messageTs !== undefined,
      'the approval request',
      30_000,
    );
    return { id, messageTs: run.approval!.messageTs! };
  }

  /** Starts a run and returns its id (from the ack). */
  async start(user = ALICE): Promise<RunId> {
    const ack = await this.slash('staging', user);
    const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1];
    if (!id) throw new Error(`no run started: ${ack.text}`);
    return id as RunId;
  }

  /** Waits for the run's sign-in code (the fake Azure AD hands out the next one). */
  nextCode(): Promise<string> {
    return this.aad.nextPendingCode(20_000);
  }

  waitForRun(
    id: RunId,
    done: (run: RunRecord) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<RunRecord> {
    return pollUntil(
      async () => {
        const run = await this.runs.get(id);
        return run && done(run) ? run : undefined;
      },
      { timeoutMs, what, intervalMs: 25 },
    );
  }

  /** Waits until the run is finished, its result recorded and its root message says so. */
  async finished(id: RunId, timeoutMs = 20_000): Promise<RunRecord> {
    const run = await this.waitForRun(id, (r) => r.report !== undefined, `run ${id} to finish`, timeoutMs);
    const final = `pc-verify ${run.env}: ${stateWords(translator(this.config.language ?? 'en'), run.state)}`;
    await pollUntil(
      () => {
        const ts = run.slack?.rootTs;
        return ts === undefined || this.slack.api.message(CHANNEL, ts)?.text === final ? true : undefined;
      },
      { timeoutMs: 15_000, what: `the root message to say "${final}"` },
    );
    return run;
  }

  /** The root message and thread once the root is posted (the outbox posts it a moment after the start). */
  root(id: RunId): Promise<RootView> {
    return this.rootWhen(id, () => true, 'the root message');
  }

  #rootNow(id: RunId): Promise<RootView> {
    return this.runs.get(id).then((run) => {
      const ts = run?.slack?.rootTs;
      if (!ts) throw new Error(`run ${id} has no root message`);
      return {
        ts,
        message: this.slack.api.message(CHANNEL, ts)!,
        thread: this.slack.api.thread(CHANNEL, ts).map((m) => m.text ?? ''),
      };
    });
  }

  /**
   * The root message and thread once `until` holds: the notifier posts after the state changed
   *, so a test that reads them after a state change polls for them.
   */
  rootWhen(
    id: RunId,
    until: (root: RootView) => boolean,
    what = 'the root message and thread',
    timeoutMs = 15_000,
  ): Promise<RootView> {
    return pollUntil(
      async () => {
        const root = await this.#rootNow(id).catch(() => undefined);
        return root && until(root) ? root : undefined;
      },
      { timeoutMs, what },
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.bots.map((b) => b.stop()));
    await keepEvidence('bot-logs', this.logs.join(''));
    await keepEvidence('slack-traffic', slackTraffic(this.slack));
    await Promise.allSettled([this.sim.stop(), this.aad.stop(), this.slack.close(), this.trust.close()]);
    const found = await deploymentKeys(this);
    if (found.length > 0) await this.redis.del(...found);
    this.redis.disconnect();
    await this.db.drop();
  }

  /** The config as a file, for bot processes started as `pc-verify serve`. */
  async writeConfig(): Promise<{ path: string; remove: () => Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'pcv-bot-'));
    const path = join(dir, 'pc-verify.yml');
    await writeFile(path, this.configText);
    return { path, remove: () => rm(dir, { recursive: true, force: true }) };
  }
}

export async function startBotWorld(options: WorldOptions = {}): Promise<BotWorld> {
  const slack = await startFakeSlack({ botToken: PLANTED.botToken, appToken: PLANTED.appToken });
  for (const [id, name] of [
    [ALICE, 'alice'],
    [BOB, 'bob'],
    [CAROL, 'carol'],
    [MALLORY, 'mallory'],
  ] as const) {
    slack.api.addUser({ id, name });
  }
  slack.api.addUserGroup(OPS_GROUP, [CAROL]);
  slack.api.addUserGroup(APPROVERS, [BOB]);
  slack.api.addChannel(CHANNEL, { name: 'pc-verify' });
  slack.api.addChannel(OTHER_CHANNEL, { name: 'random' });
  const aad = options.aad ?? (await startFakeAad({ pollIntervalSec: 0.05, tokenMark: PLANTED.aadTokenMark }));
  aad.registerClient(CLIENT, { tenantId: TENANT });
  const db = await createTestDatabase();
  const sim = await startHunterSim({
    databaseUrl: db.url,
    clientId: CLIENT,
    tenantId: TENANT,
    taskDelayMs: 20,
    extraEnvLines: PLANTED.envFileLines,
    aad: {
      tokenUrl: (t) => aad.tokenUrl(t),
      ca: aad.ca,
      // As MSAL: the cached access token until it expires; Partner Center refuses a revoked one.
      accessTokenState: (token) => aad.accessTokenState(token),
    },
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const configText = JSON.stringify({
    deployment: uniqueName('bot').replaceAll('_', '-'),
    ...(options.language ? { language: options.language } : {}),
    ...(options.redis ? { redis: options.redis } : {}),
    environments: {
      staging: {
        tier: options.tier ?? 'staging',
        api: { baseUrl: sim.apiUrl, readyTimeout: '10s', requestTimeout: '3s', ...options.api },
        database: { url: withPlantedPassword(db.url) },
        driver: { kind: 'compose', projectDir: sim.projectDir, host: sim.dockerHost, commandTimeout: '10s' },
        ...options.target,
        auth: {
          authority: `https://${aad.host}/{tenantId}`,
          knownAuthorities: [aad.host],
          loginTimeout: '60s',
        },
        policy: {
          requesters: [ALICE, OPS_GROUP],
          approvers: [APPROVERS],
          channels: [CHANNEL],
          ...options.policy,
        },
        ...(options.watch === undefined ? {} : { watch: options.watch }),
      },
      ...options.environments,
    },
  });
  const config = parseConfig(configText, 'bot-test', options.configEnv ?? {});
  const trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
  const world = new BotWorld(slack, aad, sim, db, config, configText, trust, options);
  if (options.bot !== false) await world.startBot();
  return world;
}

/** Every string a test planted or learnt that must never reach the channel, the logs or Redis. */
export function mustNotLeak(world: BotWorld, codes: readonly string[]): string[] {
  const cache = world.sim.tokenCacheFile()?.content;
  const tokens: string[] = [];
  if (cache) {
    const json = JSON.parse(cache) as Record<string, Record<string, { secret?: string }>>;
    for (const section of ['AccessToken', 'RefreshToken', 'IdToken'])
      for (const entry of Object.values(json[section] ?? {})) if (entry.secret) tokens.push(entry.secret);
  }
  return [...codes, ...tokens, SECRET, world.slack.api.botToken];
}

/** Everything stored under the deployment's prefix, as text: run records, results, audit, BullMQ jobs. */
export async function dumpRedis(world: BotWorld): Promise<string> {
  const keys = await deploymentKeys(world);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await world.redis.type(key);
    if (type === 'string') parts.push(String(await world.redis.get(key)));
    else if (type === 'hash') parts.push(JSON.stringify(await world.redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await world.redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await world.redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await world.redis.zrange(key, '0', '-1')));
    else if (type === 'stream') parts.push(JSON.stringify(await world.redis.xrange(key, '-', '+')));
  }
  return parts.join('\n');
}

/** Every key of the world's deployment; on a Cluster, from the masters (KEYS reads one node). */
export async function deploymentKeys(world: BotWorld): Promise<string[]> {
  const pattern = `{${world.config.deployment}}*`;
  const nodes = world.redis instanceof Cluster ? world.redis.nodes('master') : [world.redis];
  return (await Promise.all(nodes.map((node) => node.keys(pattern)))).flat();
}
