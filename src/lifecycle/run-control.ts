import { randomUUID } from 'node:crypto';
import type { RunRecord } from '../domain/run.ts';
import { isTerminal } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import type { BotServices } from './lifecycle-deps.ts';

/**
 * Why a worker stops a run before its phases end:
 * - `cancelled`: someone cancelled it (or the kill switch did) — the worker records the end;
 * - `lost`: it is no longer this worker's (lease gone, ended by someone else) — touch nothing;
 * - `hand_back`: this process is shutting down — the job goes back to the queue and another
 *   worker goes on from the phase in progress.
 */
export type StopReason = 'cancelled' | 'lost' | 'hand_back';

export class RunStopped extends Error {
  readonly code = 'PCV_RUN_STOPPED';
  constructor(readonly why: StopReason) {
    super(`run stopped: ${why}`);
    this.name = 'RunStopped';
  }
}

/** The one AbortController of a run in a worker, and why it fired. */
export class RunControl {
  readonly #controller = new AbortController();
  #reason: StopReason | undefined;
  #detail: string | undefined;
  #handBackAsked = false;
  /** True while the run waits for a person (the login): nothing to finish, hand back at once. */
  waitingForPerson = false;
  /** When BullMQ last renewed this job's lock (ms since the epoch); the self-fencing reads it. */
  lockRenewedAt = Date.now();
  /** This execution's hold on its run (RunStore.claimWork): one execution per run at a time. */
  readonly token = randomUUID();

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A method, not a getter: it changes while a run is awaited, and callers read it afresh. */
  stopReason(): StopReason | undefined {
    return this.#reason;
  }

  /** Why, in words, when someone else stopped it ("Cancelled by <@U…>."). */
  stopDetail(): string | undefined {
    return this.#detail;
  }

  stop(reason: StopReason, detail?: string): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#detail = detail;
    this.#controller.abort(new RunStopped(reason));
  }

  /** Shutdown: hand back now when waiting for a person, else after the check in progress. */
  askHandBack(): void {
    this.#handBackAsked = true;
    if (this.waitingForPerson) this.stop('hand_back');
  }

  /** Called between checks: the moment a shutdown can hand the run back without losing a result. */
  atSafePoint(): void {
    if (this.#handBackAsked) this.stop('hand_back');
  }
}

/** Why a run whose record vanished (Redis lost its data: a flush, a restart without persistence) stopped. */
export const RECORD_GONE = coded(message('thread.note.recordGone'));

export interface GuardSettings {
  readonly leaseMs: number;
  /** How often the worker looks whether its run was cancelled (any process may cancel). */
  readonly pollMs: number;
  /** BullMQ's job lock duration: past 0.9 × this without a renewal, the worker fences itself. */
  readonly jobLockMs?: number;
}

/**
 * How long one execution's hold on a run lasts unrenewed: as long as BullMQ's job lock, so a
 * crashed worker's run is free for the next execution as soon as its job counts as stalled.
 */
export function workHoldMs(settings: Pick<GuardSettings, 'leaseMs' | 'jobLockMs'>): number {
  return settings.jobLockMs ?? settings.leaseMs;
}

/**
 * Whether BullMQ renewed this job's lock recently enough that no other worker can have it. (The
 * run's execution hold is not read here: its renewal goes through a connection that can lag
 * just after Redis came back, and a refused renewal stops the run as `lost` anyway.)
 */
export function holdsJobLock(control: RunControl, jobLockMs: number | undefined): boolean {
  return !jobLockMs || Date.now() - control.lockRenewedAt <= 0.9 * jobLockMs;
}

/** Why a worker stopped acting on its own: another worker may have the job by now. */
export const FENCED = coded(message('thread.note.fenced'));

/** States a worker stops for: someone cancelled the run (its rollback may still be to come). */
const CANCELLED_STATES = new Set(['cancelled', 'cancelling']);

/**
 * While a worker runs a run: renews the environment's lease, and watches the run's state so a
 * cancel from any process stops the commands and requests within `pollMs`. Each record it reads
 * goes to `seen`: a root message the notifier placed after the pickup (while the run waits
 * minutes for a sign-in, say) is then known to the run's voice, whose notes must still find the
 * thread if Redis loses its data (docs/architecture.md#the-outbox).
 */
export function guardRun(
  s: BotServices,
  run: RunRecord,
  control: RunControl,
  settings: GuardSettings,
  seen: (current: RunRecord) => void = () => undefined,
): () => void {
  const workMs = workHoldMs(settings);
  const renew = setInterval(() => {
    s.runs.renewLease(run.env, run.id, settings.leaseMs).then(
      (held) => {
        if (!held) control.stop('lost');
      },
      (error: unknown) => s.log.warn({ runId: run.id, err: error }, 'lease renewal failed; retrying'),
    );
  }, settings.leaseMs / 4);
  const renewWork = setInterval(() => {
    // A run no longer ours keeps no hold: the next execution need not wait for it to lapse.
    if (control.stopReason() === 'lost') return;
    s.runs.renewWork(run.id, control.token, workMs).then(
      (held) => {
        if (!held) control.stop('lost');
      },
      (error: unknown) => s.log.warn({ runId: run.id, err: error }, 'work hold renewal failed; retrying'),
    );
  }, workMs / 4);
  let looking = false;
  const watch = setInterval(() => {
    // Self-fencing: a job lock not renewed for ~0.9 × its duration may already be another
    // worker's. Stop before the next flag write; the job goes back to the queue.
    if (!holdsJobLock(control, settings.jobLockMs) && !control.stopReason()) {
      s.log.warn(
        { runId: run.id, env: run.env },
        'job lock not renewed in time: this worker stops acting (self-fencing)',
      );
      control.stop('hand_back', FENCED);
    }
    if (looking) return;
    looking = true;
    s.runs
      .get(run.id)
      .then((current) => {
        if (current) seen(current);
        if (!current) control.stop('lost', RECORD_GONE);
        else if (CANCELLED_STATES.has(current.state)) control.stop('cancelled', current.reason);
        else if (isTerminal(current.state)) control.stop('lost');
      })
      .catch(() => undefined)
      .finally(() => {
        looking = false;
      });
  }, settings.pollMs);
  return () => {
    clearInterval(renew);
    clearInterval(renewWork);
    clearInterval(watch);
  };
}
