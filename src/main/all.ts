import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { RedisTarget } from '../config/redis.ts';
import { describeRedis } from '../config/redis.ts';
import { isGroup } from '../gates/directory.ts';
import { createRunQueue, enqueue, enqueueIfAbsent } from '../lifecycle/run-queue.ts';
import type { Logger } from '../observability/logger.ts';
import { BotMetrics } from '../observability/metrics.ts';
import { closeServer, startOpsServer } from '../observability/ops-http.ts';
import { startNotifierLoop } from '../outbox/drain-loop.ts';
import { slackDelivery } from '../slack/deliver.ts';
import { keepGroupsFresh } from '../slack/groups.ts';
import { wordsOf } from '../slack/language.ts';
import { redactingChat } from '../slack/redacting-chat.ts';
import type { SlackServices } from '../slack/slack-deps.ts';
import { openRedis, type RedisConnection } from '../store/connection.ts';
import { createRedactor } from '../util/redact.ts';
import { type BotOptions, type BotTuning, DEFAULT_TUNING, type RunningBot } from './bot-options.ts';
import { botServices, connectStores, notifierChat, reportOutages } from './open-stores.ts';
import { observeMetrics, opsSources } from './ops.ts';
import { type RunningWeb, startWebRole } from './web.ts';
import { type RunningWorker, startWorkerRole } from './worker.ts';

/**
 * The bot's composition root, the one place that opens connections and starts loops: Redis for
 * state, BullMQ for work, Bolt for Slack. A `web` process answers Slack (web.ts); a `worker`
 * process runs phases (worker.ts); `all` (the default) does both. Every role drains the outbox.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const tuning: BotTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const { config, log } = options;
  const metrics = new BotMetrics();
  const c = await openConnections(options);
  const services = botServices(config, c.redis, options.slack, log, metrics, options.now);
  const workServices = c.workRedis
    ? botServices(config, c.workRedis, options.slack, log, metrics, options.now)
    : services;
  const notifierLoop = startNotifier(options, tuning, workServices);
  const stopGroupRefresh = refreshGroups(services, tuning, log);
  const queue = createRunQueue(c.bull, config.deployment);
  // The queue repeats its connection's errors; unheard, BullMQ prints each one to stderr.
  queue.on('error', c.bullOutage);
  const lease = { queuedMs: tuning.queuedLeaseMs, workingMs: tuning.workingLeaseMs };
  const enqueueJob = (job: Parameters<typeof enqueue>[1]) => enqueue(queue, job);
  const worker: RunningWorker | undefined =
    options.role === 'web'
      ? undefined
      : await startWorkerRole({
          services: workServices,
          bull: c.bull,
          tuning,
          lease,
          enqueue: enqueueJob,
          requeue: (job: Parameters<typeof enqueue>[1]) => enqueueIfAbsent(queue, job),
          ...(options.login ? { login: options.login } : {}),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
  const ops = opsSources(services, c.redis, c.bull, queue, metrics, worker?.worker);
  observeMetrics(metrics, services, c.bull, queue);
  const web: RunningWeb | undefined =
    options.role === 'worker'
      ? undefined
      : await startWebRole(options, { services, redis: c.redis, queue, lease, ops, metrics });
  const own = await startOpsServer(ops, options.opsPort ?? 0, options.opsHost ?? '127.0.0.1');
  const port = web?.server ? (web.server.address() as AddressInfo).port : undefined;
  const url = port === undefined ? own.url : localUrl(options.host ?? '0.0.0.0', port);
  const mode = options.slack.appToken ? 'socket' : 'http';
  const redis = describeRedis(c.target);
  log.info(
    { role: options.role, mode, port, ops: own.url, deployment: config.deployment, redis },
    'pc-verify bot started',
  );
  return {
    url,
    opsUrl: own.url,
    metrics,
    stop: () =>
      stopBot(log, options.role, {
        web,
        stopGroupRefresh,
        worker,
        notifierLoop,
        queue,
        opsServer: own.server,
        connections: c,
      }),
  };
}

/** Where this machine reaches the web role's server (all interfaces: through the loopback). */
function localUrl(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}

/** What a running bot stops, in this order. */
interface BotParts {
  readonly web: RunningWeb | undefined;
  readonly stopGroupRefresh: () => void;
  readonly worker: RunningWorker | undefined;
  readonly notifierLoop: ReturnType<typeof startNotifier>;
  readonly queue: ReturnType<typeof createRunQueue>;
  readonly opsServer: Awaited<ReturnType<typeof startOpsServer>>['server'];
  readonly connections: Awaited<ReturnType<typeof openConnections>>;
}

/** No new work first; running checks finish or are handed back; then the connections close. */
async function stopBot(log: Logger, role: BotOptions['role'], parts: BotParts): Promise<void> {
  log.info({ role }, 'stopping: no new work; running checks finish or are handed back');
  await parts.web?.app.stop().catch((error: unknown) => log.warn({ err: error }, 'bolt stop failed'));
  parts.stopGroupRefresh();
  await parts.worker?.stop();
  await parts.notifierLoop.stop();
  await parts.queue.close();
  await closeServer(parts.opsServer);
  const c = parts.connections;
  await Promise.allSettled([c.webRedis?.quit(), c.workRedis?.quit(), c.bull.quit()]);
  log.info({}, 'stopped');
}

/**
 * The queue's connection (waits for Redis forever, as BullMQ needs), the Slack handlers'
 * (fail fast) and the workers' (patient): each role opens only its own.
 */
async function openConnections(options: BotOptions) {
  const target: RedisTarget = options.config.redis ?? { kind: 'url', url: options.redisUrl };
  const bull = openRedis(target, { maxRetriesPerRequest: null });
  const bullOutage = reportOutages(bull, options.log, 'queue');
  const webRedis =
    options.role === 'worker' ? undefined : await connectStores(target, 'fail-fast', options.log);
  const workRedis = options.role === 'web' ? undefined : await connectStores(target, 'patient', options.log);
  const redis = (webRedis ?? workRedis) as RedisConnection;
  return { target, bull, bullOutage, webRedis, workRedis, redis };
}

/** Every process with a Slack token drains the outboxes; a lease keeps each conversation to one. */
function startNotifier(options: BotOptions, tuning: BotTuning, s: SlackServices) {
  return startNotifierLoop({
    store: s.outbox,
    deliver: slackDelivery({
      // Whatever the lifecycle writes, a configured secret (`env:` values, URL passwords) never reaches Slack.
      chat: redactingChat(
        notifierChat(options.slack, options.log, tuning.notifierLeaseMs),
        createRedactor(options.config.secrets ?? []),
      ),
      runs: s.runs,
      groups: s.groups,
      log: options.log,
      language: options.config.language ?? 'en',
      t: wordsOf(options.config),
    }),
    owner: `${process.pid}-${randomBytes(4).toString('hex')}`,
    postsPerSecond: tuning.chatPostsPerSecond,
    leaseMs: tuning.notifierLeaseMs,
  });
}

/** The configured user groups are read again ahead of need, so a check rarely waits on Slack. */
function refreshGroups(s: SlackServices, tuning: BotTuning, log: Logger): () => void {
  if (tuning.groupRefreshMs <= 0) return () => undefined;
  const groups = [
    ...new Set(
      [...s.config.environments.values()].flatMap((env) =>
        [...env.policy.requesters, ...env.policy.approvers, ...env.policy.approvalGroups].filter(isGroup),
      ),
    ),
  ];
  return keepGroupsFresh(s.groups, groups, tuning.groupRefreshMs, (group, error) =>
    log.warn({ group, err: error }, 'user group refresh failed; the members known before it still count'),
  );
}
