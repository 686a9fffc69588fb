import type { ServiceName } from './types.ts';

/** One line as Docker keeps it: the text and when the container wrote it. */
export interface LogLine {
  readonly service: ServiceName;
  readonly at: Date;
  /** Sub-millisecond digits, so `-t` prints Docker's fixed nine fractional digits. */
  readonly subMs: string;
  readonly text: string;
}

export interface LogQuery {
  readonly services: readonly ServiceName[];
  readonly since?: Date;
  readonly until?: Date;
  readonly tail?: number;
}

const MAX_LINES = 20_000;

/** The json-file log driver: every line of every container, stamped when written. */
export class LogStore {
  readonly #lines: LogLine[] = [];
  /** The last stamp given, so a container's stamps only grow, as the daemon's do. */
  #last = { ms: 0, sub: -1 };

  append(service: ServiceName, text: string, at: Date = new Date()): void {
    for (const line of text.replace(/\n$/, '').split('\n')) {
      this.#lines.push({ service, at, subMs: this.#subMs(at), text: line });
    }
    if (this.#lines.length > MAX_LINES) this.#lines.splice(0, this.#lines.length - MAX_LINES);
  }

  /**
   * Sub-millisecond digits that keep the lines of one millisecond in the order they were
   * written: a reader sorts by stamp (the Engine API's two streams are merged that way), and a
   * traceback read out of order ends with the wrong line.
   */
  #subMs(at: Date): string {
    const ms = at.getTime();
    let sub = subMillisecondDigits();
    if (ms === this.#last.ms && sub <= this.#last.sub) sub = Math.min(this.#last.sub + 1, 999_999);
    if (ms >= this.#last.ms) this.#last = { ms, sub };
    return String(sub).padStart(6, '0');
  }

  query(q: LogQuery): LogLine[] {
    const picked = this.#lines.filter(
      (l) =>
        q.services.includes(l.service) &&
        (q.since === undefined || l.at.getTime() >= q.since.getTime()) &&
        (q.until === undefined || l.at.getTime() < q.until.getTime()),
    );
    if (q.tail === undefined || q.tail < 0) return picked;
    // `--tail` counts per container, as Docker does.
    return q.services.flatMap((s) => {
      const own = picked.filter((l) => l.service === s);
      return q.tail === 0 ? [] : own.slice(-q.tail!);
    });
  }
}

/** Microseconds and nanoseconds of the high-resolution clock (Date has only milliseconds). */
function subMillisecondDigits(): number {
  const fraction = (performance.timeOrigin + performance.now()) % 1;
  return Math.floor(fraction * 1e6);
}

/** Docker's `RFC3339NanoFixed`, as `logs -t` prints it. */
export function dockerTimestamp(line: LogLine): string {
  return `${line.at.toISOString().slice(0, 23)}${line.subMs}Z`;
}

/** `2026-11-28 21:41:52,773`: Python logging's asctime, as Celery's prefix shows it. */
export function celeryTime(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/** structlog's `TimeStamper(fmt="iso", utc=True)`. */
export function structlogTime(at: Date): string {
  return `${at.toISOString().slice(0, 23)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`;
}
