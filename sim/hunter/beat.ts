import { celeryPrefix } from './celery-output.ts';
import type { LogStore } from './log-store.ts';
import { SYNC_TASK_NAME } from './sync-task.ts';
import type { CeleryWorker } from './worker.ts';

/** The entry of Hunter's `beat_schedule` that runs the referral sync (every 10 minutes there). */
export const BEAT_ENTRY = 'sync-partner-center-referrals';

/**
 * Celery beat embedded in the worker (`celery worker -B`): every interval it sends the sync task,
 * and says so in the worker's log as beat does. Only while the worker runs — a stopped worker
 * has no beat either.
 */
export class CeleryBeat {
  readonly #logs: LogStore;
  readonly #worker: CeleryWorker;
  #timer: NodeJS.Timeout | undefined;

  constructor(logs: LogStore, worker: CeleryWorker) {
    this.#logs = logs;
    this.#worker = worker;
  }

  /** Runs the schedule every `intervalMs` (replacing any earlier schedule). */
  schedule(intervalMs: number): void {
    this.stop();
    this.#timer = setInterval(() => this.tick(), intervalMs);
    this.#timer.unref();
  }

  /** One due entry now; the task id, or undefined when the worker (and so beat) is not running. */
  tick(): string | undefined {
    if (!this.#worker.running) return undefined;
    this.#logs.append(
      'worker',
      `${celeryPrefix(new Date(), 'INFO', 'Beat')}Scheduler: Sending due task ${BEAT_ENTRY} (${SYNC_TASK_NAME})`,
    );
    return this.#worker.send(SYNC_TASK_NAME);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
