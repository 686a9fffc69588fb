/**
 * What the console itself must remember to place messages as Slack would: the answer a bot
 * gives in its HTTP ack (Slack shows it to the sender only), and where each click happened, so
 * a response_url answer lands in the thread the person clicked in.
 */

export interface LocalEphemeral {
  readonly user: string;
  readonly channel: string;
  readonly threadTs: string | undefined;
  readonly ts: string;
  readonly text: string | undefined;
  readonly blocks: readonly unknown[] | undefined;
}

export class ConsoleMemory {
  private readonly acks: LocalEphemeral[] = [];
  private readonly clickPlaces = new Map<string, string | undefined>();
  private readonly triggers = new Map<string, string>();
  private counter = 0;

  /** A trigger_id for a request of `user` (views.open answers with one). */
  newTrigger(user: string): string {
    this.counter += 1;
    const id = `${Date.now()}.${this.counter}.${Math.random().toString(16).slice(2, 14)}`;
    this.triggers.set(id, user);
    return id;
  }

  userOfTrigger(trigger: string): string | undefined {
    return this.triggers.get(trigger);
  }

  addAck(entry: Omit<LocalEphemeral, 'ts'>): void {
    this.counter += 1;
    // A ts in Slack's shape (seconds.micros) from the same clock as the fake's messages.
    this.acks.push({
      ...entry,
      ts: (Date.now() / 1000).toFixed(6),
    });
  }

  ackEphemerals(user: string): readonly LocalEphemeral[] {
    return this.acks.filter((a) => a.user === user);
  }

  rememberResponseUrl(url: string, threadTs: string | undefined): void {
    this.clickPlaces.set(url, threadTs);
  }

  threadOfResponseUrl(url: string): string | undefined {
    return this.clickPlaces.get(url);
  }

  get size(): number {
    return this.acks.length;
  }
}
