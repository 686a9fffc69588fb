/**
 * A clock a test moves forward: real time plus whatever the test skipped. Expiry is then a
 * step the test takes (`advance`), not a wait; durations measured by real timers still pass.
 */
export class SteppedClock {
  private skippedMs = 0;

  readonly now = (): Date => new Date(Date.now() + this.skippedMs);

  advance(ms: number): void {
    this.skippedMs += ms;
  }
}
