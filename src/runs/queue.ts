import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EnvName, RunId } from '../domain/ids.ts';

/** What a job asks a worker to do. Job ids carry no `:` (BullMQ reserves it). */
export type JobData =
  | { readonly kind: 'run'; readonly runId: RunId }
  | { readonly kind: 'off'; readonly env: EnvName; readonly by: string; readonly channel: string };

export function jobId(data: JobData): string {
  return data.kind === 'run' ? `run-${data.runId}` : `off-${data.env}-${Date.now()}`;
}

export function createRunQueue(connection: Redis, deployment: string): Queue<JobData> {
  return new Queue<JobData>(deployment, {
    connection,
    prefix: `{${deployment}}:bull`,
    defaultJobOptions: { removeOnComplete: 1_000, removeOnFail: 1_000, attempts: 1 },
  });
}

export async function enqueue(queue: Queue<JobData>, data: JobData): Promise<void> {
  await queue.add(data.kind, data, { jobId: jobId(data) });
}

export interface WorkerOptions {
  readonly concurrency?: number;
  /** Same on every worker (BullMQ: give every worker the same stalledInterval). */
  readonly stalledIntervalMs?: number;
}

/**
 * Runs jobs; a job whose worker died is picked up again when its lock runs out (stalled) and
 * the run resumes at the phase it was in. `maxStalledCount` is generous for that reason.
 */
export function createRunWorker(
  connection: Redis,
  deployment: string,
  process: (job: Job<JobData>) => Promise<void>,
  options: WorkerOptions = {},
): Worker<JobData> {
  return new Worker<JobData>(deployment, process, {
    connection,
    prefix: `{${deployment}}:bull`,
    concurrency: options.concurrency ?? 20,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    lockDuration: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 3,
  });
}
