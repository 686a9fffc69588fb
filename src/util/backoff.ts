import type { Clock } from './clock.ts';

export interface BackoffOptions {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Give up after this long (from the first attempt). */
  readonly timeoutMs: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export type Attempt<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly last: string };

/**
 * Every wait in pc-verify is this: try, and if not done yet wait a little longer each time,
 * until the deadline. Returns the value, or the last "not yet" description when time ran out.
 */
export async function pollWithBackoff<T>(
  attempt: (remainingMs: number) => Promise<Attempt<T>>,
  options: BackoffOptions,
): Promise<{ ok: true; value: T; attempts: number } | { ok: false; last: string; attempts: number }> {
  const { clock, signal, timeoutMs } = options;
  const deadline = clock.now().getTime() + timeoutMs;
  let delay = options.initialDelayMs ?? 100;
  const maxDelay = options.maxDelayMs ?? 2_000;
  for (let attempts = 1; ; attempts++) {
    const result = await attempt(Math.max(0, deadline - clock.now().getTime()));
    if (result.done) return { ok: true, value: result.value, attempts };
    const remaining = deadline - clock.now().getTime();
    if (remaining <= 0 || signal.aborted) return { ok: false, last: result.last, attempts };
    await clock.sleep(Math.min(delay, remaining), signal).catch(() => undefined);
    if (signal.aborted) return { ok: false, last: result.last, attempts };
    delay = Math.min(maxDelay, Math.round(delay * 1.6));
  }
}
