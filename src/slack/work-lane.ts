/**
 * The work behind acks, started only when acks are not waiting for the CPU.
 *
 * One event loop both acks and works: under a burst, the work of the first commands (Redis
 * round trips, rendering, the answer) would delay the acks of the next ones, and Slack's 3 s
 * is per ack. So work queues here while acks keep going out, and starts when a turn of the loop
 * passed without one — or when its oldest item has waited `maxWaitMs`, or `maxBacklog` items
 * wait: answers are late under a burst, never starved.
 */
export interface WorkLaneOptions {
  /** The longest a command's work waits for a quiet moment [500 ms]. */
  readonly maxWaitMs?: number;
  /** This many waiting start at once, quiet or not [256]. */
  readonly maxBacklog?: number;
  readonly now?: () => number;
}

/** Items started per turn of the event loop. */
const BATCH = 8;

interface Waiting {
  readonly since: number;
  readonly start: () => void;
}

export class WorkLane {
  readonly #queue: Waiting[] = [];
  readonly #maxWaitMs: number;
  readonly #maxBacklog: number;
  readonly #now: () => number;
  #acks = 0;
  #scheduled = false;

  constructor(options: WorkLaneOptions = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 500;
    this.#maxBacklog = options.maxBacklog ?? 256;
    this.#now = options.now ?? (() => performance.now());
  }

  /** An ack went out: work waits for the next quiet turn. */
  noteAck(): void {
    this.#acks++;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ since: this.#now(), start: () => void task().then(resolve, reject) });
      this.#schedule(setImmediate);
    });
  }

  #schedule(later: (run: () => void) => unknown): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    later(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    const oldest = this.#queue[0];
    if (!oldest) return;
    const busy = this.#acks > 0;
    this.#acks = 0;
    const overdue = this.#now() - oldest.since >= this.#maxWaitMs || this.#queue.length >= this.#maxBacklog;
    // A timer, not setImmediate, to look again: the loop may then sleep in I/O instead of spinning.
    if (busy && !overdue) return this.#schedule((run) => setTimeout(run, 1));
    // A few at a time: a backlog started at once would hold up the acks behind it all the same.
    for (const item of this.#queue.splice(0, BATCH)) item.start();
    if (this.#queue.length > 0) this.#schedule(busy ? (run) => setTimeout(run, 1) : setImmediate);
  }
}
