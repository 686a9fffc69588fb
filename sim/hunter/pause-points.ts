/**
 * Named moments of the simulated deployment where a test can hold it, to cancel or kill the
 * bot at an exact step instead of racing a timer.
 *
 * - `apply:before`: a `restart` / `up` of api or worker arrived; nothing was stopped yet.
 * - `apply:during`: api and worker are stopped, not started again.
 * - `healthz:before`: a `GET /healthz` reached the running api; no answer yet.
 * - `sync:before`: a `POST /api/referrals/sync` reached the running api; nothing enqueued yet.
 *
 * What is held completes when released even if its caller went away, as a real daemon finishes
 * a restart whose `docker compose` client was killed.
 */
export type PausePoint = 'apply:before' | 'apply:during' | 'healthz:before' | 'sync:before';

export interface PauseOptions {
  /** Hold only when the flag in play has this value (the env file for apply, the api's for requests). */
  readonly flag?: boolean;
  /** Let this many matching moments pass before holding one. */
  readonly skip?: number;
}

export interface Pause {
  readonly point: PausePoint;
  /** Resolves when the deployment is held here. */
  readonly reached: Promise<void>;
  isReached(): boolean;
  /** Resolves when the caller held here went away (its command aborted, its connection closed). */
  readonly abandoned: Promise<void>;
  isAbandoned(): boolean;
  release(): void;
}

interface Armed {
  readonly point: PausePoint;
  readonly flag: boolean | undefined;
  skip: number;
  reached: boolean;
  abandoned: boolean;
  readonly onReached: () => void;
  readonly onAbandoned: () => void;
  readonly released: Promise<void>;
  readonly release: () => void;
}

export class PausePoints {
  #armed: Armed[] = [];

  arm(point: PausePoint, options: PauseOptions = {}): Pause {
    const armed = newArmed(point, options);
    this.#armed.push(armed.entry);
    return armed.pause;
  }

  /** The deployment reached `point`; resolves at once unless a test armed it. */
  async hold(point: PausePoint, flag: boolean, signal?: AbortSignal): Promise<void> {
    const armed = this.#armed.find(
      (a) => !a.reached && a.point === point && (a.flag === undefined || a.flag === flag),
    );
    if (!armed) return;
    if (armed.skip > 0) {
      armed.skip--;
      return;
    }
    armed.reached = true;
    armed.onReached();
    const abandon = () => {
      armed.abandoned = true;
      armed.onAbandoned();
    };
    if (signal?.aborted) abandon();
    else signal?.addEventListener('abort', abandon, { once: true });
    await armed.released;
    signal?.removeEventListener('abort', abandon);
  }

  /** On stop nothing stays held. */
  releaseAll(): void {
    for (const armed of this.#armed) armed.release();
    this.#armed = [];
  }
}

function latch(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function newArmed(point: PausePoint, options: PauseOptions): { entry: Armed; pause: Pause } {
  const reached = latch();
  const abandoned = latch();
  const released = latch();
  const entry: Armed = {
    point,
    flag: options.flag,
    skip: options.skip ?? 0,
    reached: false,
    abandoned: false,
    onReached: () => reached.resolve(),
    onAbandoned: () => abandoned.resolve(),
    released: released.promise,
    release: () => released.resolve(),
  };
  const pause: Pause = {
    point,
    reached: reached.promise,
    isReached: () => entry.reached,
    abandoned: abandoned.promise,
    isAbandoned: () => entry.abandoned,
    release: entry.release,
  };
  return { entry, pause };
}
