import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import {
  refuseKillSwitchWithoutEnvironment,
  reportKillSwitchFailure,
  runKillSwitch,
} from './kill-switch-run.ts';
import type { BotServices } from './lifecycle-deps.ts';
import type { RunWorkSettings } from './run-pickup.ts';
import { type JobData, killSwitchRetryMs } from './run-queue.ts';

type OffJob = Extract<JobData, { kind: 'off' }>;

export interface KillSwitchAttemptDeps {
  readonly s: BotServices;
  readonly settings: RunWorkSettings;
  /** The wait before the first retry; it doubles up to a minute. */
  readonly firstRetryMs: number;
  /** Attempts running in this worker, by job id: a lost job lock aborts its attempt. */
  readonly running: Map<string, AbortController>;
}

/**
 * One attempt of the kill switch. One that did not verify the flag OFF is said in the switch's
 * thread and counted, then thrown: BullMQ keeps the job (delayed, in Redis) and tries again.
 * One whose worker went away (BullMQ's "stalled": a crash, a kill, a lost lock) is said by the
 * worker that takes it next, before it acts; stalls never fail it, however many.
 */
export async function attemptKillSwitch(
  d: KillSwitchAttemptDeps,
  job: Job<JobData>,
  data: OffJob,
  token: string | undefined,
): Promise<void> {
  const { s } = d;
  if (!s.config.environments.has(data.env)) {
    // Retried, it would fail the same way forever (every back-off up to a minute, for good).
    await refuseKillSwitchWithoutEnvironment(s, data).catch((error: unknown) =>
      s.log.warn({ env: data.env, err: error }, 'kill switch refusal not recorded in full'),
    );
    throw new UnrecoverableError(`kill switch for ${data.env}: the environment is no longer configured`);
  }
  if (job.stalledCounter > (data.stallsSaid ?? 0)) {
    await sayStopped(s, job, data);
    // Stopped twice or more: maybe the switch itself kills its workers. Still never given up,
    // but backed off like a failed attempt, so a crash loop does not take every worker down.
    if (job.stalledCounter >= 2 && token) {
      await job.moveToDelayed(Date.now() + killSwitchRetryMs(job.stalledCounter, d.firstRetryMs), token);
      throw new DelayedError();
    }
  }
  const why = await attemptOnce(d, job, data);
  if (why === undefined) return;
  // Attempts that ended: each failed (attemptsMade) or stopped (stalled) once; a back-off start is not one.
  const attempt = job.attemptsMade + job.stalledCounter + 1;
  await reportKillSwitchFailure(s, data, {
    kind: 'not_verified',
    attempt,
    why,
    retryInMs: killSwitchRetryMs(job.attemptsMade + 1, d.firstRetryMs),
  }).catch((error: unknown) => s.log.warn({ err: error }, 'kill switch failure not posted'));
  throw new Error(`kill switch attempt ${attempt} in ${data.env} did not verify the flag OFF: ${why}`);
}

/** Why the attempt did not verify OFF; undefined when it did, or when another worker has the job now. */
async function attemptOnce(
  d: KillSwitchAttemptDeps,
  job: Job<JobData>,
  data: OffJob,
): Promise<string | undefined> {
  const stop = new AbortController();
  const key = job.id ?? data.offId;
  d.running.set(key, stop);
  try {
    if (await runKillSwitch(d.s, d.settings, data, stop.signal)) return undefined;
    // Another worker has the job now: it says and does what comes next.
    return stop.signal.aborted
      ? undefined
      : 'the flag could not be verified OFF (the checks in this thread say why)';
  } catch (error) {
    if (stop.signal.aborted) return undefined;
    d.s.log.error({ env: data.env, offId: data.offId, err: error }, 'kill switch failed inside pc-verify');
    return 'pc-verify failed inside the kill switch (the bot log has the details under this switch)';
  } finally {
    d.running.delete(key);
  }
}

/** The attempt before this one stalled: said and counted once (the job keeps how many were said). */
async function sayStopped(s: BotServices, job: Job<JobData>, data: OffJob): Promise<void> {
  s.log.error(
    { env: data.env, offId: data.offId, stalls: job.stalledCounter },
    'kill switch attempt stopped before it finished (its worker went away): trying again',
  );
  await reportKillSwitchFailure(s, data, { kind: 'stopped', attempt: job.attemptsMade + job.stalledCounter })
    .then(() => job.updateData({ ...data, stallsSaid: job.stalledCounter }))
    .catch((error: unknown) => s.log.warn({ err: error }, 'kill switch stop not posted'));
}
