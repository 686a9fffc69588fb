import type { AllMiddlewareArgs, AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../observability/logger.ts';
import { WorkLane } from './work-lane.ts';

/**
 * Acknowledges every command and click before anything else happens, then refuses a replay.
 *
 * Slack gives an ack 3 s, and Bolt answers 404 after that: any Redis or Slack call before the
 * ack can cost the person their command while its work still happens. So the ack carries no
 * answer; answers go through the response_url or an ephemeral once the work is done. The replay
 * guard (a Redis SET NX) runs after the ack: a replay gets the same empty 200 either way, and
 * nothing of it runs, because the guard still stands before every handler. The work itself
 * goes through a `WorkLane`, so it does not hold up the acks of a burst.
 */
export interface InstantAnswer {
  readonly text: string;
}

/** What to do with a request whose replay check Redis could not answer. */
export interface UncheckedRequests {
  /** True for a request that changes nothing (a look-up, an App Home): it may pass unchecked. */
  readonly changesNothing: (body: unknown) => boolean;
  /** Tells the person that nothing was done, and why (`error`: what Redis said). */
  readonly refuse: (body: unknown, error: unknown) => Promise<void>;
}

const LET_THROUGH: UncheckedRequests = { changesNothing: () => true, refuse: async () => undefined };

export function ackFirst(
  firstSeen: ((signature: string) => Promise<boolean>) | undefined,
  log: Logger,
  lane: WorkLane = new WorkLane(),
  instant: (body: unknown) => InstantAnswer | undefined = () => undefined,
  unchecked: UncheckedRequests = LET_THROUGH,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    // An answer that needs no I/O (help, an unreadable command) is the ack itself. A replay of
    // one gets the same text again: nothing to guard, it changes and reveals nothing.
    const now = ack ? instant(args.body) : undefined;
    if (ack) {
      await ack(now ? { response_type: 'ephemeral', text: now.text } : undefined);
      lane.noteAck();
    }
    if (now) {
      args.context.answeredInAck = true;
      return args.next();
    }
    await lane.run(() => guardThenHandle(args));
  };

  async function guardThenHandle(args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    const signature = args.context.requestSignature;
    if (firstSeen && typeof signature === 'string' && signature) {
      let failure: unknown;
      const fresh = await firstSeen(signature).catch((error: unknown) => {
        failure = error ?? new Error('the replay check failed');
        return undefined;
      });
      // Redis away: a look-up may pass; anything that changes something is refused (fail closed).
      if (fresh === undefined && !unchecked.changesNothing(args.body)) {
        log.warn({ type: args.body.type }, 'request refused: Redis could not check it is not a replay');
        await unchecked
          .refuse(args.body, failure)
          .catch((error: unknown) => log.warn({ err: error }, 'refusal not delivered'));
        return;
      }
      if (fresh === false) {
        log.warn(
          { type: args.body.type },
          'replayed signed request refused (seen inside the 5-minute window)',
        );
        return;
      }
    }
    await args.next();
  }
}
