import type { RunRecord } from '../domain/run.ts';
import type { StepAppends } from '../store/run-store.ts';
import { encodeOutboxNotice, type RunNotice, type RunNotifier, threadOf } from './run-notices.ts';

/** The notices that report one state change, for the store to append with it (docs/architecture.md#the-outbox). */
export interface StepNotices {
  /** For the store: the entries, from the record as it will be written; unset when the notifier is no outbox. */
  readonly appends?: StepAppends;
  /** After the change succeeded, with the run as written: tells a notifier that is no outbox. */
  told(run: RunRecord): Promise<void>;
}

/**
 * What the chat hears of a change, said in the change's own step when the notifier is the
 * outbox: a process that dies right after the change can no longer leave it unsaid (a run
 * awaiting an approval nobody was asked for). A run with no thread says nothing.
 */
export function stepNotices(
  notifier: RunNotifier,
  notices: (run: RunRecord) => readonly RunNotice[],
): StepNotices {
  if (notifier.outbox) {
    return {
      appends: (run) => {
        const thread = threadOf(run);
        return thread ? notices(run).map((notice) => encodeOutboxNotice({ thread, notice })) : [];
      },
      told: async () => undefined,
    };
  }
  return {
    told: async (run) => {
      const thread = threadOf(run);
      if (thread) for (const notice of notices(run)) await notifier.notify(thread, notice);
    },
  };
}
