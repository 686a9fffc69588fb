import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { EnvNameSchema } from '../domain/ids.ts';
import { bullPrefix } from '../lifecycle/run-queue.ts';
import type { RedisConnection } from '../store/connection.ts';
import { probeOnce, type WatchDeps } from './watch-job.ts';

const ProbeJob = z.object({ env: EnvNameSchema });

export function watchQueueName(deployment: string): string {
  return `${deployment}-watch`;
}

export function watchSchedulerId(env: string): string {
  return `watch-${env}`;
}

export interface RunningWatch {
  readonly worker: Worker;
  stop(): Promise<void>;
}

/**
 * The watch in a worker process: one BullMQ job scheduler per watched environment (every
 * process upserts the same ids, so there is one schedule however many processes run), probes
 * run by whichever worker takes the job. An environment set to `watch: false` loses its schedule.
 */
export function startWatch(
  deps: WatchDeps,
  connection: RedisConnection,
  options: { concurrency?: number } = {},
): RunningWatch {
  const name = watchQueueName(deps.config.deployment);
  const prefix = bullPrefix(deps.config.deployment);
  const queue = new Queue(name, { connection, prefix });
  queue.on('error', (error) => deps.log.warn({ err: error }, 'watch queue error'));
  // In the background: a bot that starts while Redis is away must not wait for it here.
  void schedule(queue, deps).catch((error: unknown) =>
    deps.log.warn({ err: error }, 'watch schedules not set (Redis away?); the next start sets them'),
  );
  const worker = new Worker(
    name,
    async (job) => {
      const data = ProbeJob.safeParse(job.data);
      if (!data.success) {
        deps.log.warn({ job: job.id }, 'watch job without a valid environment: dropped');
        return 'invalid';
      }
      return probeOnce(deps, data.data.env);
    },
    // Jobs record which process probed (`processedBy`), for an operator reading the queue.
    { connection, prefix, concurrency: options.concurrency ?? 2, name: `watch-${hostname()}-${process.pid}` },
  );
  worker.on('error', (error) => deps.log.warn({ err: error }, 'watch worker error'));
  worker.on('failed', (job, error) => deps.log.warn({ job: job?.id, err: error }, 'watch probe job failed'));
  return {
    worker,
    stop: async () => {
      await worker.close();
      await queue.close();
    },
  };
}

/** One job scheduler per watched environment; an environment with `watch: false` loses its own. */
async function schedule(queue: Queue, deps: WatchDeps): Promise<void> {
  for (const env of deps.config.environments.values()) {
    const id = watchSchedulerId(env.name);
    if (env.watch === false) {
      await queue.removeJobScheduler(id);
      continue;
    }
    await queue.upsertJobScheduler(
      id,
      { every: env.watch.interval },
      {
        name: 'probe',
        data: { env: env.name },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }
}
