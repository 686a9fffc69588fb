/**
 * Slack allows about one chat.postMessage per second per channel, with short bursts (docs/architecture.md#the-outbox):
 * a token bucket per channel, and a channel Slack answered 429 stays paused for its Retry-After
 * while every other channel goes on.
 */
export class ChannelPacer {
  readonly #buckets = new Map<string, { tokens: number; at: number; pausedUntil: number }>();

  constructor(
    private readonly now: () => number,
    private readonly perSecond = 1,
    private readonly burst = 3,
  ) {}

  /** Takes one message's worth from the channel's allowance; false when it must wait. */
  take(channel: string): boolean {
    const b = this.#bucket(channel);
    if (this.now() < b.pausedUntil || b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  paused(channel: string): boolean {
    return this.now() < this.#bucket(channel).pausedUntil;
  }

  /** Slack said to wait (429 Retry-After), or the channel failed and waits a moment before a retry. */
  pause(channel: string, ms: number): void {
    const b = this.#bucket(channel);
    b.pausedUntil = Math.max(b.pausedUntil, this.now() + ms);
  }

  #bucket(channel: string) {
    const now = this.now();
    const b = this.#buckets.get(channel) ?? { tokens: this.burst, at: now, pausedUntil: 0 };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.#buckets.set(channel, b);
    return b;
  }
}
