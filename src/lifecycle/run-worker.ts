import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RunId } from '../domain/ids.ts';
import { coded, message } from '../i18n/index.ts';
import { voiceOf } from '../outbox/run-announcer.ts';
import type { RedisConnection } from '../store/connection.ts';
import { readJobData } from '../store/job-data.ts';
import { endRun } from './finish-run.ts';
import { flagMayBeOnBy } from './flag-ledger.ts';
// Static, unlike the run's modules below: the kill switch never waits on loading code, and a
// module missing on disk (an upgrade in progress) fails this worker's start, not a switch.
import { attemptKillSwitch } from './kill-switch-attempt.ts';
import type { BotServices } from './lifecycle-deps.ts';
import { RunControl } from './run-control.ts';
import type { RunJobOutcome, RunWorkSettings } from './run-pickup.ts';
import {
  bullPrefix,
  type JobData,
  KILL_SWITCH_BACKOFF,
  killSwitchRetryMs,
  queueNameOf,
} from './run-queue.ts';

export interface RunWorkerOptions {
  /** Runs one process works on at once (different environments). Default 4. */
  readonly concurrency?: number;
  /**
   * BullMQ's job lock: a job whose worker stops renewing it for this long is "stalled" and
   * picked up again by another worker. Default 30 s. Use the same value in every process.
   */
  readonly lockDurationMs?: number;
  /** How often each worker looks for stalled jobs. Default 30 s; the same in every process. */
  readonly stalledIntervalMs?: number;
  /** At shutdown, how long a run may take to reach the end of its current check. Default 20 s. */
  readonly shutdownGraceMs?: number;
  /** The wait before a failed kill switch's first retry; it doubles up to a minute. Default 2 s. */
  readonly killSwitchRetryMs?: number;
}

/** Said in the thread when a bug stops a run whose flag may be mid-change. */
export const BUG_MID_FLAG = coded(message('thread.note.bugMidFlag'));

/** A run survives two crashed workers; a third and the job fails (the reaper then ends the run). */
const RUN_MAX_STALLS = 2;

/** How long a job that came back while its earlier processing still stops waits before trying again. */
const SAME_JOB_RETRY_MS = 1_000;

/**
 * The BullMQ worker of a deployment. A shutdown (SIGTERM) takes no new job, lets each running
 * check finish, then hands its run back to the queue: the job is moved to `delayed` (due now)
 * and another worker goes on from the start of that phase. A run waiting for a sign-in is
 * handed back at once — there is nothing to finish.
 */
export class RunWorker {
  readonly worker: Worker<JobData>;
  /** The runs this process works on, by job id. */
  readonly #active = new Map<string, RunControl>();
  /** Kill switches running here, by job id: a lost job lock stops this attempt (another takes over). */
  readonly #killSwitches = new Map<string, AbortController>();
  /** When a processing of a run job last ended here, by job id (see `#endedJustNow`). */
  readonly #ended = new Map<string, number>();
  readonly #graceMs: number;
  readonly #killSwitchRetryMs: number;
  #closing = false;

  constructor(
    private readonly s: BotServices,
    private readonly settings: RunWorkSettings,
    connection: RedisConnection,
    options: RunWorkerOptions = {},
  ) {
    this.#graceMs = options.shutdownGraceMs ?? 20_000;
    const firstRetryMs = options.killSwitchRetryMs ?? 2_000;
    this.#killSwitchRetryMs = firstRetryMs;
    this.worker = new Worker<JobData>(
      queueNameOf(s.config.deployment),
      (job, token) => this.#process(job, token),
      {
        connection,
        prefix: bullPrefix(s.config.deployment),
        concurrency: options.concurrency ?? 4,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        // BullMQ fails a job that stalled more than this, whatever its attempts: the limit runs
        // keep is applied in #process instead, and a kill switch has none (see kill-switch-attempt.ts).
        maxStalledCount: Number.MAX_SAFE_INTEGER,
        settings: {
          backoffStrategy: (attemptsMade, type) =>
            type === KILL_SWITCH_BACKOFF ? killSwitchRetryMs(attemptsMade, firstRetryMs) : 0,
        },
      },
    );
    this.worker.on('failed', (job, error) => s.log.warn({ job: job?.id, err: error }, 'job failed'));
    this.worker.on('stalled', (jobId) =>
      s.log.warn({ job: jobId }, 'job stalled: its worker stopped; picked up again'),
    );
    this.worker.on('error', (error) => s.log.warn({ err: error }, 'worker error'));
    this.worker.on('locksRenewed', ({ jobIds }) => {
      const now = Date.now();
      for (const id of jobIds) {
        const control = this.#active.get(id);
        if (control) control.lockRenewedAt = now;
      }
    });
    // The job's lock expired (Redis was away longer than lockDuration): BullMQ gives the job to
    // a worker again, which goes on from the phase in progress. This one must stop touching it.
    this.worker.on('lockRenewalFailed', (jobIds) => {
      for (const id of jobIds) {
        this.#killSwitches.get(id)?.abort(new Error('job lock lost'));
        const control = this.#active.get(id);
        if (!control) continue;
        s.log.warn(
          { job: id },
          'job lock lost (Redis away too long?): this worker stops; the job is picked up again',
        );
        control.stop('lost');
      }
    });
  }

  isRunning(): boolean {
    return this.worker.isRunning();
  }

  /** Stops taking work, hands running runs back (see the class comment), closes the worker. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const control of this.#active.values()) control.askHandBack();
    const deadline = setTimeout(() => {
      for (const control of this.#active.values()) control.stop('hand_back');
    }, this.#graceMs);
    try {
      await this.worker.close();
    } finally {
      clearTimeout(deadline);
    }
  }

  async #process(job: Job<JobData>, token: string | undefined): Promise<void> {
    const data = readJobData(job.data, job.id);
    if (data.kind === 'off')
      return attemptKillSwitch(
        {
          s: this.s,
          settings: this.settings,
          firstRetryMs: this.#killSwitchRetryMs,
          running: this.#killSwitches,
        },
        job,
        data,
        token,
      );
    if (job.stalledCounter > RUN_MAX_STALLS)
      throw new UnrecoverableError(`run ${data.runId}: its job stalled ${job.stalledCounter} times`);
    const key = job.id ?? data.runId;
    // The job came back to this very process while its earlier processing still runs, or has
    // only just returned (its lock expired during a Redis outage before the renewal noticed).
    // That one is stopped; this one waits in `delayed` until it is gone: BullMQ tracks a job's
    // lock by job id, and the earlier one's end (BullMQ's own call to finish it, after our
    // processor returned) would stop renewing this one's lock.
    const earlier = this.#active.get(key);
    if (earlier || this.#endedJustNow(key)) {
      earlier?.stop('lost');
      await job.moveToDelayed(Date.now() + SAME_JOB_RETRY_MS, token);
      throw new DelayedError();
    }
    const control = new RunControl();
    this.#active.set(key, control);
    let delayed = false;
    try {
      delayed = await this.#advance(job, token, data, control);
    } finally {
      // Only once this processing is over to its last call (a hand-back's move to `delayed`
      // waits out a Redis outage). Moved to `delayed` by us, BullMQ makes no further call for it.
      this.#active.delete(key);
      if (!delayed) this.#ended.set(key, Date.now());
    }
    if (delayed) throw new DelayedError();
  }

  /** Whether a processing of this job ended here so recently that BullMQ may still be finishing it. */
  #endedJustNow(key: string): boolean {
    const now = Date.now();
    for (const [id, at] of this.#ended) if (now - at >= SAME_JOB_RETRY_MS) this.#ended.delete(id);
    return this.#ended.has(key);
  }

  /** One processing of a run job; true when it moved the job to `delayed` (busy, or handed back). */
  async #advance(
    job: Job<JobData>,
    token: string | undefined,
    data: Exclude<JobData, { kind: 'off' }>,
    control: RunControl,
  ): Promise<boolean> {
    if (this.#closing) control.askHandBack();
    let outcome: RunJobOutcome;
    try {
      const resumed = job.attemptsStarted > 1 || job.stalledCounter > 0;
      // Loaded with the first job, not at start: the phases, the Hunter drivers and MSAL are
      // most of a worker's memory, and a process at rest needs none of them (one import per
      // process, a fraction of a second, against a run of tens of seconds).
      if (data.step === 'login') {
        const { advanceLogin } = await import('./advance-login.ts');
        outcome = await advanceLogin(this.s, this.settings, data.runId, control, resumed);
      } else {
        const { advanceRun } = await import('./advance-run.ts');
        outcome = await advanceRun(this.s, this.settings, data.runId, control, resumed);
      }
    } catch (error) {
      await this.#failOnBug(data.runId, error);
      return false;
    } finally {
      await this.s.runs
        .releaseWork(data.runId, control.token)
        .catch((error: unknown) =>
          this.s.log.warn({ runId: data.runId, err: error }, 'work hold not released; it lapses'),
        );
    }
    if (outcome === 'done') return false;
    await job.moveToDelayed(Date.now() + (outcome === 'busy' ? SAME_JOB_RETRY_MS : 0), token);
    return true;
  }

  /**
   * A bug (not a failing check) must still end the run, with the reason, and free the
   * environment — unless the flag may be ON or is mid-change by this run (docs/architecture.md#the-flag-record): ending
   * it would free the lock on a flag nobody verified. That run keeps its lock, as a fenced
   * conclusion does; once its lease runs out the reaper hands it to a worker that settles the flag.
   */
  async #failOnBug(runId: RunId, error: unknown): Promise<void> {
    this.s.log.error({ runId, err: error }, 'run failed inside pc-verify');
    const run = await this.s.runs.get(runId).catch(() => undefined);
    if (!run) return;
    // Unreadable counts as implicated: only a flag known to be settled lets the run end here.
    const implicated = run.state === 'cancelling' || (await flagMayBeOnBy(this.s, run).catch(() => true));
    if (implicated) {
      this.s.log.warn(
        { runId, env: run.env, state: run.state },
        'run failed inside pc-verify mid flag change: left holding the environment for reconciliation',
      );
      await voiceOf(this.s, run)
        .reply(BUG_MID_FLAG, 'warning')
        .catch((cause: unknown) => this.s.log.warn({ runId, err: cause }, 'could not say so in the thread'));
      return;
    }
    const reason = coded(message('thread.note.internalError'));
    await endRun(this.s, run, { state: 'failed', reason, tone: 'failed' }).catch((cause: unknown) =>
      this.s.log.error({ runId, err: cause }, 'could not record the failed run'),
    );
  }
}
