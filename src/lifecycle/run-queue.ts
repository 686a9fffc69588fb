import { Queue } from 'bullmq';
import type { RunId } from '../domain/ids.ts';
import type { RedisConnection } from '../store/connection.ts';
import type { JobData } from '../store/job-data.ts';

export type { JobData, RunStep } from '../store/job-data.ts';

/** BullMQ reserves `:` in job ids; re-adding an existing id is a no-op (an idempotency key). */
export function jobIdOf(data: JobData): string {
  if (data.kind === 'off') return `off-${data.offId}`;
  return `run-${data.runId}-${data.step}${data.nonce ? `-${data.nonce}` : ''}`;
}

/** Keys `{deployment}:bull:<queue>:…`: the same hash tag as the store, so one Cluster slot. */
export function bullPrefix(deployment: string): string {
  return `{${deployment}}:bull`;
}

export function queueNameOf(deployment: string): string {
  return `${deployment}-runs`;
}

export type RunQueue = Queue<JobData>;

export function createRunQueue(connection: RedisConnection, deployment: string): RunQueue {
  return new Queue<JobData>(queueNameOf(deployment), {
    connection,
    prefix: bullPrefix(deployment),
    defaultJobOptions: {
      attempts: 1,
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 1_000 },
    },
  });
}

/** BullMQ's backoff type of a kill-switch job: the worker's strategy (`killSwitchRetryMs`) says how long. */
export const KILL_SWITCH_BACKOFF = 'kill_switch';

/**
 * A kill switch is tried until the flag is verified OFF: its retries live in Redis (a delayed
 * job), so a worker that restarts meanwhile, or another one, takes the next attempt.
 */
const KILL_SWITCH_JOB = {
  attempts: Number.MAX_SAFE_INTEGER,
  backoff: { type: KILL_SWITCH_BACKOFF },
} as const;

export async function enqueue(queue: RunQueue, data: JobData): Promise<void> {
  await queue.add(data.kind, data, {
    jobId: jobIdOf(data),
    ...(data.kind === 'off' ? KILL_SWITCH_JOB : {}),
  });
}

/** The wait before a kill switch's next attempt: doubling from `firstMs`, at most a minute. */
export function killSwitchRetryMs(attemptsMade: number, firstMs: number): number {
  return Math.min(firstMs * 2 ** Math.max(0, attemptsMade - 1), Math.max(firstMs, 60_000));
}

/**
 * Adds the job unless one with its id is there (waiting, running, or kept after it ended);
 * true when this call added it. A lost race with another adder is harmless: the id is the key.
 */
export async function enqueueIfAbsent(queue: RunQueue, data: JobData): Promise<boolean> {
  if (await queue.getJob(jobIdOf(data))) return false;
  await enqueue(queue, data);
  return true;
}

/** Drops a run's start job that no worker has taken yet (a cancel while queued). */
export async function dropQueuedStart(queue: RunQueue, runId: RunId): Promise<void> {
  const job = await queue.getJob(jobIdOf({ kind: 'run', runId, step: 'start' }));
  if (job && (await job.isWaiting())) await job.remove().catch(() => undefined);
}
