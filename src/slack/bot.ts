import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Dispatcher } from 'undici';
import type { Login } from '../auth/login.ts';
import type { CommandDeps } from '../commands/context.ts';
import type { Config } from '../config/config.ts';
import type { RunId } from '../domain/ids.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { type BotRunDeps, executeRun } from '../runs/bot-run.ts';
import { executeKillSwitch } from '../runs/kill-switch.ts';
import { createRunQueue, createRunWorker, enqueue } from '../runs/queue.ts';
import { AuditLog } from '../store/audit.ts';
import { keysFor } from '../store/keys.ts';
import { ResultStore } from '../store/results.ts';
import { RunStore } from '../store/run-store.ts';
import { createSlackApp } from './app.ts';
import { webClientChat } from './chat.ts';
import { healthRoutes } from './routes.ts';

export type Role = 'web' | 'worker' | 'all';

export interface BotOptions {
  readonly config: Config;
  readonly redisUrl: string;
  readonly role: Role;
  readonly slack: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  /** HTTP port (HTTP mode, and /healthz + /metrics); 0 picks a free one. */
  readonly port: number;
  readonly leaseMs?: number;
  readonly stalledIntervalMs?: number;
  readonly login?: Login;
  readonly dispatcher?: Dispatcher;
  readonly log?: Logger;
}

export interface RunningBot {
  /** The HTTP port, when this process serves HTTP. */
  readonly port?: number;
  stop(): Promise<void>;
}

const GROUP_CACHE_MS = 60_000;

/**
 * The bot's composition root: one Redis for state, BullMQ for work, Bolt for Slack. A `web`
 * process answers Slack; a `worker` process runs phases; `all` does both.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const log = options.log ?? createLogger();
  const metrics = createMetrics();
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false });
  const bullConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const keys = keysFor(options.config.deployment);
  const runs = new RunStore(redis, keys);
  const results = new ResultStore(redis, keys);
  const audit = new AuditLog(redis, keys);
  const queue = createRunQueue(bullConnection, options.config.deployment);
  const client = new WebClient(options.slack.botToken, {
    ...(options.slack.apiUrl ? { slackApiUrl: options.slack.apiUrl } : {}),
    retryConfig: { retries: 2, maxTimeout: 5_000 },
  });
  const chat = webClientChat(client);
  const leaseMs = options.leaseMs ?? 60_000;

  const commands: CommandDeps = {
    config: options.config,
    runs,
    results,
    audit,
    enqueue: (job) => enqueue(queue, job),
    groupMembers: cachedGroups(chat.groupMembers, GROUP_CACHE_MS),
    now: () => new Date(),
    newRunId: () => `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}` as RunId,
    leaseMs,
  };

  let worker: Worker | undefined;
  if (options.role !== 'web') {
    const deps: BotRunDeps = {
      config: options.config,
      runs,
      results,
      audit,
      chat,
      leaseMs,
      log: { info: (msg, meta) => log.info(meta ?? {}, msg), warn: (msg, meta) => log.warn(meta ?? {}, msg) },
      ...(options.login ? { login: options.login } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    };
    worker = createRunWorker(
      bullConnection,
      options.config.deployment,
      async (job) => {
        if (job.data.kind === 'run') await executeRun(deps, job.data.runId);
        else await executeKillSwitch(deps, job.data.env, job.data.by, job.data.channel);
      },
      options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {},
    );
    worker.on('failed', (job, error) => log.warn({ job: job?.id, err: String(error) }, 'job failed'));
  }

  let server: Server | undefined;
  let app: ReturnType<typeof createSlackApp> | undefined;
  if (options.role !== 'worker') {
    app = createSlackApp({
      botToken: options.slack.botToken,
      ...(options.slack.signingSecret ? { signingSecret: options.slack.signingSecret } : {}),
      ...(options.slack.appToken ? { appToken: options.slack.appToken } : {}),
      ...(options.slack.apiUrl ? { slackApiUrl: options.slack.apiUrl } : {}),
      customRoutes: healthRoutes({ redis, queue, metrics, workerRunning: () => worker?.isRunning() ?? null }),
      commands,
      log,
      metrics,
    });
    await app.init();
    const started = await app.start({ port: options.port, host: '0.0.0.0' });
    server = (started as Server | undefined) ?? undefined;
  }
  const port =
    server && typeof server.address === 'function'
      ? (server.address() as AddressInfo | null)?.port
      : undefined;
  log.info({ role: options.role, port, deployment: options.config.deployment }, 'pc-verify bot started');

  return {
    ...(port === undefined ? {} : { port }),
    stop: async () => {
      // Stop taking work first; a running job finishes (or is handed back when its lock runs out).
      await app?.stop().catch(() => undefined);
      await worker?.close();
      await queue.close();
      redis.disconnect();
      bullConnection.disconnect();
    },
  };
}

function cachedGroups(fetch: (group: string) => Promise<readonly string[]>, ttlMs: number) {
  const cache = new Map<string, { at: number; members: readonly string[] }>();
  return async (group: string) => {
    const hit = cache.get(group);
    if (hit && Date.now() - hit.at < ttlMs) return hit.members;
    const members = await fetch(group);
    cache.set(group, { at: Date.now(), members });
    return members;
  };
}
