import type { Chat } from '../slack/chat.ts';
import { handedOffWords, handOffInDm } from '../slack/login-handoff.ts';
import type { OutboxStore } from '../store/outbox.ts';
import { encodeOutboxNotice, type RunNotifier } from './run-notices.ts';

/**
 * The lifecycle's side of the outbox (DESIGN §4a): a notice is one append to its conversation's
 * Redis stream, and `notify` returns; the notifier loop posts it later. A notice that reports a
 * state change is appended by the change's own script instead (`outbox`). Only the sign-in DM is
 * sent at once (a code nobody received cannot be used); the thread hears of it in order.
 */
export function outboxNotifier(store: OutboxStore, chat: Chat): RunNotifier {
  const notifier: RunNotifier = {
    outbox: true,
    async notify(thread, notice) {
      const { key, body } = encodeOutboxNotice({ thread, notice });
      await store.append(key, body);
    },
    async handOffLogin(thread, login, remember) {
      const dm = await handOffInDm(chat, login, remember);
      await notifier.notify(thread, { kind: 'note', text: handedOffWords(login.requester, login.handoff) });
      return dm;
    },
  };
  return notifier;
}
