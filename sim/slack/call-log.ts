import type { ApiReply } from './method-types.ts';
import type { TokenKind } from './token-auth.ts';

export interface RecordedCall {
  readonly method: string;
  /** Form fields or JSON body, `blocks`/`view`/`attachments` decoded; the token is left out. */
  readonly args: Record<string, unknown>;
  /** Date.now() when the fake answered. */
  readonly at: number;
  /** 200, or 429 when rate limited. */
  readonly status: number;
  readonly response: ApiReply;
  /** Which credential the call carried; `invalid` means an unknown token. */
  readonly tokenKind: TokenKind;
  /** The call took effect but its answer never reached the caller (`loseNextAnswer`). */
  readonly lost?: true;
}

interface Waiter {
  readonly method: string;
  readonly predicate: (call: RecordedCall) => boolean;
  readonly resolve: (call: RecordedCall) => void;
}

/** Every call the fake answered, and a way to wait for one without sleeping. */
export class CallLog {
  private entries: RecordedCall[] = [];
  private waiters = new Set<Waiter>();

  record(call: RecordedCall): void {
    this.entries.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.method === call.method && waiter.predicate(call)) {
        this.waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  calls(method?: string): readonly RecordedCall[] {
    return method === undefined ? [...this.entries] : this.entries.filter((call) => call.method === method);
  }

  /**
   * The first call to `method` (already made or still to come) that satisfies `predicate`;
   * rejects once `timeoutMs` has passed, naming what was called instead.
   */
  waitFor(
    method: string,
    predicate: (call: RecordedCall) => boolean,
    timeoutMs: number,
  ): Promise<RecordedCall> {
    const done = this.entries.find((call) => call.method === method && predicate(call));
    if (done !== undefined) return Promise.resolve(done);
    return new Promise<RecordedCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.entries.map((call) => call.method).join(', ') || 'nothing';
        reject(
          new Error(`fake Slack: no matching ${method} call within ${timeoutMs} ms (calls so far: ${seen})`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        method,
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Forgets the calls; pending waiters keep waiting for new ones. */
  clear(): void {
    this.entries = [];
  }
}
