import type { CustomRoute } from '@slack/bolt';
import type { BotServices } from '../lifecycle/lifecycle-deps.ts';
import type { RunQueue } from '../lifecycle/run-queue.ts';
import type { RunWorker } from '../lifecycle/run-worker.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import { type OpsSources, opsRoutes } from '../observability/ops-http.ts';
import type { RedisConnection } from '../store/connection.ts';

/** What /metrics reads at scrape time; while Redis is away a value is left out rather than holding the scrape. */
export function observeMetrics(
  metrics: BotMetrics,
  services: BotServices,
  bull: RedisConnection,
  queue: RunQueue,
): void {
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
}

export function opsSources(
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

export function boltRoutes(ops: OpsSources): CustomRoute[] {
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
      return run &&
        (run.state === 'awaiting_login' ||
          run.state === 'awaiting_approval' ||
          run.state === 'awaiting_window')
        ? [{ labels: { env, state: run.state }, value: 1 }]
        : [];
    }),
  );
  return rows.flat();
}
