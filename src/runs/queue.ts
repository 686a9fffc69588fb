import { Queue } from 'bullmq';
import type { EnvName, RunId } from '../domain/ids.ts';
import type { RedisConnection } from '../store/connection.ts';

/**
 * What a job asks a worker to do. A job carries ids only — never a code or a token: the run's
 * state lives in the RunStore, and the job says "move this run on from where it stands".
 */
export type JobData =
  | {
      readonly kind: 'run';
      readonly runId: RunId;
      readonly step: RunStep;
      /** Makes a reconcile job's id unique per attempt (the run's version when it was asked for). */
      readonly nonce?: string;
    }
  | {
      readonly kind: 'off';
      readonly offId: string;
      readonly env: EnvName;
      readonly by: string;
      readonly channel: string;
      readonly rootTs?: string;
    };

/**
 * `start`: Phase 0 onward. `confirmed`: the same, after the prod outage confirmation. `phase3`:
 * after an approval. `reconcile`: a run nobody holds any more while its flag may be half-switched
 * (the reaper asks): a worker goes on from where its state says, settling the flag. `login`:
 * a sign-in renewal (Phase 2 alone, the flag untouched).
 */
export type RunStep = 'start' | 'confirmed' | 'phase3' | 'reconcile' | 'login';

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

/** Drops a run's start job that no worker has taken yet (a cancel while queued). */
export async function dropQueuedStart(queue: RunQueue, runId: RunId): Promise<void> {
  const job = await queue.getJob(jobIdOf({ kind: 'run', runId, step: 'start' }));
  if (job && (await job.isWaiting())) await job.remove().catch(() => undefined);
}
