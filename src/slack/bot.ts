import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, CustomRoute } from '@slack/bolt';
import { Redis } from 'ioredis';
import type { Dispatcher } from 'undici';
import type { Login } from '../auth/login.ts';
import type { CommandDeps } from '../commands/index.ts';
import type { Config } from '../config/config.ts';
import type { RunId } from '../domain/ids.ts';
import type { Logger } from '../observability/logger.ts';
import { BotMetrics } from '../observability/metrics.ts';
import { closeServer, type OpsSources, opsRoutes, startOpsServer } from '../observability/ops-http.ts';
import { createRunQueue, dropQueuedStart, enqueue, type RunQueue } from '../runs/queue.ts';
import { startReaper } from '../runs/reaper.ts';
import type { BotServices } from '../runs/services.ts';
import type { RunWorker } from '../runs/worker.ts';
import { keysFor } from '../store/keys.ts';
import { type BotIdentity, createSlackApp } from './app.ts';
import { botServices, connectStores, reportOutages } from './bot-services.ts';
import { cachedGroupDirectory } from './groups.ts';
import type { WebClientSettings } from './web-client.ts';

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
};

export interface BotOptions {
  readonly config: Config;
  readonly redisUrl: string;
  readonly role: Role;
  readonly slack: { botToken: string; signingSecret?: string; appToken?: string } & WebClientSettings;
  /** HTTP port: Slack's requests in HTTP mode, and always /healthz + /metrics. 0 picks a free one. */
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  readonly log: Logger;
  readonly tuning?: Partial<BotTuning>;
  readonly login?: Login;
  /** Extra TLS trust for Azure AD and Hunter (a private CA); verification stays on. */
  readonly dispatcher?: Dispatcher;
}

export interface RunningBot {
  /** `http://host:port` of this process's HTTP server (Slack in HTTP mode, /healthz, /metrics). */
  readonly url: string;
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
  const bull = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const bullOutage = reportOutages(bull, log, 'queue');
  const webRedis =
    options.role === 'worker' ? undefined : await connectStores(options.redisUrl, 'fail-fast', log);
  const workRedis =
    options.role === 'web' ? undefined : await connectStores(options.redisUrl, 'patient', log);
  const redis = (webRedis ?? workRedis) as Redis;
  const services = botServices(config, redis, options.slack, log, metrics);
  const workServices = workRedis ? botServices(config, workRedis, options.slack, log, metrics) : services;
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

  const host = options.host ?? '0.0.0.0';
  let app: App | undefined;
  let server: Server | undefined;
  if (options.role !== 'worker') {
    const commands: CommandDeps = {
      ...services,
      enqueue: (job) => enqueue(queue, job),
      dropQueuedStart: (runId) => dropQueuedStart(queue, runId),
      groups: cachedGroupDirectory((group) => services.chat.groupMembers(group)),
      lease,
      newRunId: () => `r${Date.now().toString(36)}${randomBytes(4).toString('hex')}` as RunId,
      newOffId: () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
    };
    let identity: BotIdentity | undefined;
    const keys = keysFor(config.deployment);
    const seenRedis = webRedis as Redis;
    app = createSlackApp({
      identity: () => identity,
      firstSeen: async (signature) =>
        (await seenRedis.set(keys.seenRequest(signature), '1', 'PX', REPLAY_WINDOW_MS, 'NX')) === 'OK',
      botToken: options.slack.botToken,
      ...(options.slack.signingSecret ? { signingSecret: options.slack.signingSecret } : {}),
      ...(options.slack.appToken ? { appToken: options.slack.appToken } : {}),
      web: options.slack,
      customRoutes: boltRoutes(ops),
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
  // Socket Mode and worker-only processes have no Bolt HTTP server: the ops endpoints get their own.
  const own = server ? undefined : await startOpsServer(ops, options.port, host);
  const listening = server ?? (own as { server: Server }).server;
  const port = (listening.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  log.info(
    {
      role: options.role,
      mode: options.slack.appToken ? 'socket' : 'http',
      port,
      deployment: config.deployment,
    },
    'pc-verify bot started',
  );

  return {
    url,
    metrics,
    stop: async () => {
      log.info({ role: options.role }, 'stopping: no new work; running checks finish or are handed back');
      await app?.stop().catch((error: unknown) => log.warn({ err: error }, 'bolt stop failed'));
      stopReaper();
      await worker?.close();
      await queue.close();
      if (own) await closeServer(own.server);
      await Promise.allSettled([webRedis?.quit(), workRedis?.quit(), bull.quit()]);
      log.info({}, 'stopped');
    },
  };
}

function opsSources(
  s: BotServices,
  redis: Redis,
  bull: Redis,
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
function queueRead<T>(bull: Redis, read: () => Promise<T>, fallback: T): Promise<T> {
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

function boltRoutes(ops: OpsSources): CustomRoute[] {
  return opsRoutes(ops).map(({ path, handler }) => ({ path, method: ['GET'], handler }));
}

async function flagUnverified(s: BotServices) {
  return Promise.all(
    [...s.config.environments.keys()].map(async (env) => ({
      labels: { env },
      value: (await s.flags.get(env).catch(() => undefined))?.unverified ? 1 : 0,
    })),
  );
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
