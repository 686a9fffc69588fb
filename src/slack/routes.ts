import type { CustomRoute } from '@slack/bolt';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Metrics } from '../observability/metrics.ts';

interface RouteDeps {
  readonly redis: Pick<Redis, 'ping'>;
  readonly queue: Pick<Queue, 'getJobCounts'>;
  readonly metrics: Metrics;
  /** true/false for a process with a worker, null for a web-only process. */
  readonly workerRunning: () => boolean | null;
}

/** The bot's own `GET /healthz` (Redis reachable, worker alive) and `GET /metrics` (Prometheus). */
export function healthRoutes(deps: RouteDeps): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: async (_req, res) => {
        const redisOk = await deps.redis.ping().then(
          () => true,
          () => false,
        );
        const worker = deps.workerRunning();
        const ok = redisOk && worker !== false;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok, redis: redisOk, worker }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req, res) => {
        const counts = await deps.queue
          .getJobCounts('waiting', 'active', 'delayed', 'failed')
          .catch(() => ({}));
        for (const [state, n] of Object.entries(counts)) deps.metrics.queueDepth.set({ state }, n);
        res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        res.end(await deps.metrics.registry.metrics());
      },
    },
  ];
}
