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
  /** The next turn of the event loop [setImmediate], and a look again in a moment [a 1 ms timer]. */
  readonly turns?: Turns;
}

export interface Turns {
  readonly next: (run: () => void) => void;
  readonly soon: (run: () => void) => void;
}

const EVENT_LOOP: Turns = {
  next: (run) => void setImmediate(run),
  // A timer, not setImmediate, to look again: the loop may then sleep in I/O instead of spinning.
  soon: (run) => void setTimeout(run, 1),
};

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
  readonly #turns: Turns;
  #acks = 0;
  #scheduled = false;

  constructor(options: WorkLaneOptions = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 500;
    this.#maxBacklog = options.maxBacklog ?? 256;
    this.#now = options.now ?? (() => performance.now());
    this.#turns = options.turns ?? EVENT_LOOP;
  }

  /** An ack went out: work waits for the next quiet turn. */
  noteAck(): void {
    this.#acks++;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ since: this.#now(), start: () => void task().then(resolve, reject) });
      this.#schedule(this.#turns.next);
    });
  }

  #schedule(later: (run: () => void) => void): void {
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
    if (busy && !overdue) {
      this.#schedule(this.#turns.soon);
      return;
    }
    // A few at a time: a backlog started at once would hold up the acks behind it all the same.
    for (const item of this.#queue.splice(0, BATCH)) item.start();
    if (this.#queue.length > 0) this.#schedule(busy ? this.#turns.soon : this.#turns.next);
  }
}
