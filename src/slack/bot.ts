import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Login } from '../auth/login.ts';
import type { CommandDeps, CommandWords } from '../commands/context.ts';
import type { Config } from '../config/config.ts';
import { describeRedis, type RedisTarget } from '../config/redis.ts';
import type { RunId } from '../domain/ids.ts';
import type { Logger } from '../observability/logger.ts';
import { BotMetrics } from '../observability/metrics.ts';
import { closeServer, type OpsSources, startOpsServer } from '../observability/ops-http.ts';
import { isGroup } from '../runs/directory.ts';
import { createRunQueue, dropQueuedStart, enqueue, type RunQueue } from '../runs/queue.ts';
import { startReaper } from '../runs/reaper.ts';
import type { BotServices } from '../runs/services.ts';
import type { RunWorker } from '../runs/worker.ts';
import { openRedis, type RedisConnection } from '../store/connection.ts';
import { keysFor } from '../store/keys.ts';
import { createRedactor } from '../util/redact.ts';
import { type RunningWatch, startWatch } from '../watch/scheduler.ts';
import { probeTargets } from '../watch/targets.ts';
import { type BotIdentity, createSlackApp } from './app.ts';
import {
  botServices,
  connectStores,
  notifierChat,
  reportOutages,
  type SlackServices,
} from './bot-services.ts';
import type { Chat } from './chat.ts';
import { keepGroupsFresh } from './groups.ts';
import { messageLink } from './links.ts';
import { startNotifierLoop } from './notifier-loop.ts';
import { redactingChat } from './redacting-chat.ts';
import { flagWords } from './views/flag.ts';
import { escapeMrkdwn, slackDate } from './views/format.ts';
import { STATE_WORDS } from './views/run-message.ts';
import { watchWords } from './views/watch.ts';
import { slackWatchAnnouncer } from './watch-announcer.ts';
import type { WebClientSettings } from './web-client.ts';

/** How command answers look in Slack; links come from Slack's own permalinks. */
function slackWords(chat: Pick<Chat, 'permalink'>): CommandWords {
  return {
    date: slackDate,
    state: (state) => STATE_WORDS[state],
    link: (place, label) => messageLink(chat, place, label),
    flag: flagWords,
    watch: watchWords,
    escape: escapeMrkdwn,
  };
}

export type Role = 'web' | 'worker' | 'all';

/** Timings; every process of a deployment should use the same values. Defaults in brackets. */
export interface BotTuning {
  /** How long a queued run may wait for a worker [10 min]. */
  readonly queuedLeaseMs: number;
  /** A working run's lease, renewed at a quarter of it; longer than a stalled job takes to be picked up [2 min]. */
  readonly workingLeaseMs: number;
  /** How often a working run looks for a cancel [250 ms]. */
  readonly cancelPollMs: number;
  /** Runs per worker process [4]. */
  readonly concurrency: number;
  /** BullMQ job lock: how fast a dead worker's job is taken over [30 s]. */
  readonly lockDurationMs: number;
  /** BullMQ stalled-job check interval [30 s]. */
  readonly stalledIntervalMs: number;
  /** Time a running check gets to finish at shutdown before its run is handed back [20 s]. */
  readonly shutdownGraceMs: number;
  /** How often a worker looks for runs nobody runs any more [15 s]. */
  readonly reapIntervalMs: number;
  /** Messages the notifier posts per second per channel, after a burst of 3 [1: Slack's limit]. */
  readonly chatPostsPerSecond: number;
  /** How long a notifier keeps a conversation after its last look; a killed one's go after this [15 s]. */
  readonly notifierLeaseMs: number;
  /** How often the configured user groups are read again ahead of need; 0: only when asked [30 s]. */
  readonly groupRefreshMs: number;
  /** Run the day-2 watch's probes in this process (worker roles) [true]. */
  readonly watch: boolean;
}

export const DEFAULT_TUNING: BotTuning = {
  queuedLeaseMs: 10 * 60_000,
  workingLeaseMs: 2 * 60_000,
  cancelPollMs: 250,
  concurrency: 4,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  shutdownGraceMs: 20_000,
  reapIntervalMs: 15_000,
  chatPostsPerSecond: 1,
  notifierLeaseMs: 15_000,
  groupRefreshMs: 30_000,
  watch: true,
};

export interface BotOptions {
  readonly config: Config;
  /** The Redis when the config names none (`redis:` in the file wins): REDIS_URL. */
  readonly redisUrl: string;
  readonly role: Role;
  readonly slack: { botToken: string; signingSecret?: string; appToken?: string } & WebClientSettings;
  /** HTTP port of Slack's requests (HTTP mode). 0 picks a free one. */
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /**
   * /healthz and /metrics, on a listener of their own: they list environments and pending
   * approvals, which the port Slack reaches must not. Default 0 (a free port).
   */
  readonly opsPort?: number;
  /** Default 127.0.0.1: the ops endpoints are for the machine's own scraper unless said otherwise. */
  readonly opsHost?: string;
  readonly log: Logger;
  readonly tuning?: Partial<BotTuning>;
  readonly login?: Login;
  /** Extra TLS trust for Azure AD and Hunter (a private CA); verification stays on. */
  readonly dispatcher?: Dispatcher;
  /**
   * The lifecycle's clock: approval expiry, audit and record times [the system clock]. Tests
   * move it forward instead of waiting; Redis leases still run on real time as a backstop.
   */
  readonly now?: () => Date;
}

export interface RunningBot {
  /** `http://host:port` of Slack's HTTP receiver; in Socket Mode and for a worker, the ops listener's. */
  readonly url: string;
  /** `http://host:port` of /healthz and /metrics. */
  readonly opsUrl: string;
  readonly metrics: BotMetrics;
  /** SIGTERM: no new commands or jobs, running checks finish or are handed back, connections close. */
  stop(): Promise<void>;
}

/**
 * The bot's composition root: Redis for state, BullMQ for work, Bolt for Slack. A `web` process
 * answers Slack; a `worker` process runs phases; `all` (the default) does both.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const tuning: BotTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const { config, log } = options;
  const metrics = new BotMetrics();
  const target: RedisTarget = config.redis ?? { kind: 'url', url: options.redisUrl };
  const bull = openRedis(target, { maxRetriesPerRequest: null });
  const bullOutage = reportOutages(bull, log, 'queue');
  const webRedis = options.role === 'worker' ? undefined : await connectStores(target, 'fail-fast', log);
  const workRedis = options.role === 'web' ? undefined : await connectStores(target, 'patient', log);
  const redis = (webRedis ?? workRedis) as RedisConnection;
  const services = botServices(config, redis, options.slack, log, metrics, options.now);
  const workServices = workRedis
    ? botServices(config, workRedis, options.slack, log, metrics, options.now)
    : services;
  // Every process with a Slack token drains the outboxes; a lease keeps each conversation to one.
  const notifierLoop = startNotifierLoop({
    store: workServices.outbox,
    deliver: {
      chat: redactingChat(
        notifierChat(options.slack, log, tuning.notifierLeaseMs),
        createRedactor(config.secrets ?? []),
      ),
      runs: workServices.runs,
      groups: workServices.groups,
      log,
    },
    owner: `${process.pid}-${randomBytes(4).toString('hex')}`,
    postsPerSecond: tuning.chatPostsPerSecond,
    leaseMs: tuning.notifierLeaseMs,
  });
  const configuredGroups = [
    ...new Set(
      [...config.environments.values()].flatMap((env) =>
        [...env.policy.requesters, ...env.policy.approvers].filter(isGroup),
      ),
    ),
  ];
  const stopGroupRefresh =
    tuning.groupRefreshMs > 0
      ? keepGroupsFresh(services.groups, configuredGroups, tuning.groupRefreshMs, (group, error) =>
          log.warn(
            { group, err: error },
            'user group refresh failed; the members known before it still count',
          ),
        )
      : () => undefined;
  const queue = createRunQueue(bull, config.deployment);
  // The queue repeats its connection's errors; unheard, BullMQ prints each one to stderr.
  queue.on('error', bullOutage);
  const lease = { queuedMs: tuning.queuedLeaseMs, workingMs: tuning.workingLeaseMs };

  // A web process never loads the worker, nor the phases, drivers and MSAL behind it.
  const worker =
    options.role === 'web'
      ? undefined
      : new (await import('../runs/worker.ts')).RunWorker(
          workServices,
          {
            lease,
            cancelPollMs: tuning.cancelPollMs,
            jobLockMs: tuning.lockDurationMs,
            ...(options.login ? { login: options.login } : {}),
            ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          },
          bull,
          tuning,
        );
  const stopReaper = worker
    ? startReaper(workServices, tuning.reapIntervalMs, {
        enqueue: (job) => enqueue(queue, job),
        leaseMs: lease.workingMs,
      })
    : () => undefined;

  const watch: RunningWatch | undefined =
    worker && tuning.watch
      ? startWatch(
          {
            ...workServices,
            announcer: slackWatchAnnouncer(workServices),
            openTarget: probeTargets(options.dispatcher),
          },
          bull,
        )
      : undefined;

  const ops = opsSources(services, redis, bull, queue, metrics, worker);
  // Read at scrape time; while Redis is away they are left out rather than holding the scrape.
  metrics.observe({
    queueDepth: () =>
      queueRead(
        bull,
        () =>
          queue
            .getJobCounts('waiting', 'active', 'delayed', 'failed')
            .then((counts) => Object.entries(counts).map(([state, value]) => ({ labels: { state }, value }))),
        [],
      ),
    waitingRuns: () => settleWithin(waitingRuns(services), HEALTH_PROBE_MS, []),
    flagUnverified: () => settleWithin(flagUnverified(services), HEALTH_PROBE_MS, []),
  });
  metrics.observeWatch({
    ok: () => settleWithin(watchGauge(services, 'ok'), HEALTH_PROBE_MS, []),
    lastProbe: () => settleWithin(watchGauge(services, 'lastProbe'), HEALTH_PROBE_MS, []),
  });

  const host = options.host ?? '0.0.0.0';
  let app: App | undefined;
  let server: Server | undefined;
  if (options.role !== 'worker') {
    const commands: CommandDeps & Pick<SlackServices, 'chat' | 'outbox'> = {
      ...services,
      enqueue: (job) => enqueue(queue, job),
      dropQueuedStart: (runId) => dropQueuedStart(queue, runId),
      lease,
      newRunId: () => `r${Date.now().toString(36)}${randomBytes(4).toString('hex')}` as RunId,
      newOffId: () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
      words: slackWords(services.chat),
    };
    let identity: BotIdentity | undefined;
    const keys = keysFor(config.deployment);
    const seenRedis = webRedis as RedisConnection;
    app = createSlackApp({
      identity: () => identity,
      firstSeen: async (signature) =>
        (await seenRedis.set(keys.seenRequest(signature), '1', 'PX', REPLAY_WINDOW_MS, 'NX')) === 'OK',
      botToken: options.slack.botToken,
      ...(options.slack.signingSecret ? { signingSecret: options.slack.signingSecret } : {}),
      ...(options.slack.appToken ? { appToken: options.slack.appToken } : {}),
      web: options.slack,
      commands,
      log,
      metrics,
    });
    await app.init();
    const me = await app.client.auth.test();
    identity = {
      ...(me.team_id ? { teamId: me.team_id } : {}),
      ...(me.app_id ? { appId: me.app_id } : {}),
    };
    if (options.slack.appToken) await app.start();
    else server = (await app.start({ port: options.port, host })) as Server;
  }
  const own = await startOpsServer(ops, options.opsPort ?? 0, options.opsHost ?? '127.0.0.1');
  const port = server ? (server.address() as AddressInfo).port : undefined;
  const url = port === undefined ? own.url : `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  log.info(
    {
      role: options.role,
      mode: options.slack.appToken ? 'socket' : 'http',
      port,
      ops: own.url,
      deployment: config.deployment,
      redis: describeRedis(target),
    },
    'pc-verify bot started',
  );

  return {
    url,
    opsUrl: own.url,
    metrics,
    stop: async () => {
      log.info({ role: options.role }, 'stopping: no new work; running checks finish or are handed back');
      await app?.stop().catch((error: unknown) => log.warn({ err: error }, 'bolt stop failed'));
      stopReaper();
      stopGroupRefresh();
      await watch?.stop();
      await worker?.close();
      await notifierLoop.stop();
      await queue.close();
      await closeServer(own.server);
      await Promise.allSettled([webRedis?.quit(), workRedis?.quit(), bull.quit()]);
      log.info({}, 'stopped');
    },
  };
}

function opsSources(
  s: BotServices,
  redis: RedisConnection,
  bull: RedisConnection,
  queue: RunQueue,
  metrics: BotMetrics,
  worker: RunWorker | undefined,
): OpsSources {
  return {
    health: async () => {
      // The queue's connection waits for Redis to come back rather than failing: bounded here,
      // so a probe during an outage gets its 503 instead of hanging.
      const [redisOk, queueOk] = await Promise.all([
        settleWithin(
          redis.ping().then(() => true),
          HEALTH_PROBE_MS,
          false,
        ),
        queueRead(bull, () => queue.getJobCounts('waiting').then(() => true), false),
      ]);
      const workerState = worker ? (worker.isRunning() ? 'running' : 'stopped') : 'not in this role';
      return {
        ok: redisOk && queueOk && workerState !== 'stopped',
        redis: redisOk,
        queue: queueOk,
        worker: workerState,
        deployment: s.config.deployment,
      };
    },
    metrics: () => metrics.text(),
  };
}

/** Slack refuses timestamps older than 5 minutes; a signature is remembered a little longer. */
const REPLAY_WINDOW_MS = 6 * 60_000;

/** How long /healthz and /metrics wait for each Redis read. */
const HEALTH_PROBE_MS = 1_000;

/**
 * A read on the queue's connection, only while it is up: that connection queues commands while
 * Redis is away (BullMQ needs it to), so every probe during an outage would pile up another
 * one for the reconnect.
 */
function queueRead<T>(bull: RedisConnection, read: () => Promise<T>, fallback: T): Promise<T> {
  return bull.status === 'ready'
    ? settleWithin(read(), HEALTH_PROBE_MS, fallback)
    : Promise.resolve(fallback);
}

/** `call`'s value, or `fallback` when it fails or takes longer than `ms`. */
function settleWithin<T>(call: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([
    call.catch(() => fallback),
    new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref()),
  ]);
}

async function flagUnverified(s: BotServices) {
  return Promise.all(
    [...s.config.environments.keys()].map(async (env) => ({
      labels: { env },
      value: (await s.flags.get(env).catch(() => undefined))?.unverified ? 1 : 0,
    })),
  );
}

/** Only environments the watch probes (healthy or failing) have a value: idle ones are left out. */
async function watchGauge(s: BotServices, what: 'ok' | 'lastProbe') {
  const rows = await Promise.all(
    [...s.config.environments.keys()].map(async (env) => {
      const state = await s.watch.get(env).catch(() => undefined);
      if (!state || state.status === 'idle') return [];
      const value =
        what === 'ok' ? (state.status === 'healthy' ? 1 : 0) : Date.parse(state.lastProbeAt) / 1000;
      return [{ labels: { env }, value }];
    }),
  );
  return rows.flat();
}

async function waitingRuns(s: BotServices) {
  const rows = await Promise.all(
    [...s.config.environments.keys()].map(async (env) => {
      const id = await s.runs.currentRunId(env);
      const run = id ? await s.runs.get(id) : undefined;
      return run && (run.state === 'awaiting_login' || run.state === 'awaiting_approval')
        ? [{ labels: { env, state: run.state }, value: 1 }]
        : [];
    }),
  );
  return rows.flat();
}
