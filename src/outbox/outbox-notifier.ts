import type { OutboxStore } from '../store/outbox.ts';
import { encodeOutboxNotice, type RunNotifier } from './run-notices.ts';

/** Sends the sign-in code to the requester directly (the chat adapter's DM). */
export type HandOffLogin = (
  login: Parameters<RunNotifier['handOffLogin']>[1],
  remember: Parameters<RunNotifier['handOffLogin']>[2],
) => ReturnType<RunNotifier['handOffLogin']>;

/**
 * The lifecycle's side of the outbox (docs/architecture.md#the-outbox): a notice is one append to its conversation's
 * Redis stream, and `notify` returns; the notifier loop posts it later. A notice that reports a
 * state change is appended by the change's own script instead (`outbox`). Only the sign-in DM is
 * sent at once (a code nobody received cannot be used); the thread hears of it in order.
 */
export function outboxNotifier(store: OutboxStore, handOff: HandOffLogin): RunNotifier {
  const notifier: RunNotifier = {
    outbox: true,
    async notify(thread, notice) {
      const { key, body } = encodeOutboxNotice({ thread, notice });
      await store.append(key, body);
    },
    async handOffLogin(thread, login, remember) {
      const dm = await handOff(login, remember);
      const expiresAt = login.handoff.expiresAt.toISOString();
      await notifier.notify(thread, { kind: 'login_handed_off', requester: login.requester, expiresAt });
      return dm;
    },
  };
  return notifier;
}
