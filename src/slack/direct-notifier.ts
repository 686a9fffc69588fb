import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { RunNotifier, ThreadRef } from '../runs/notifier.ts';
import type { DmRef } from '../store/login-dm.ts';
import type { Chat } from './chat.ts';
import { type DeliveryDeps, deliverNotice, type ThreadState } from './deliver.ts';
import { slackDate } from './views/format.ts';
import { loginDm, loginDmPreparing } from './views/login-dm.ts';

/**
 * The sign-in code goes to the requester's DM; the thread only learns that it was handed over.
 * The DM is posted without the code first and `remember`ed, and only then shows the code: every
 * code a person can see is in a DM some process can find again and void.
 */
export async function handOffInDm(
  chat: Chat,
  login: { readonly env: string; readonly requester: string; readonly handoff: DeviceCodeHandoff },
  remember: (dm: DmRef) => Promise<void>,
): Promise<DmRef> {
  const channel = await chat.openDm(login.requester);
  const preparing = loginDmPreparing(login.env);
  const dm = { channel, ts: await chat.post(channel, preparing.text, preparing.blocks) };
  await remember(dm);
  const { text, blocks } = loginDm(login.env, login.handoff);
  await chat.update(dm.channel, dm.ts, text, blocks);
  return dm;
}

export function handedOffWords(requester: string, handoff: DeviceCodeHandoff): string {
  return `:closed_lock_with_key: Login handed to <@${requester}> in DM (the code expires ${slackDate(handoff.expiresAt.toISOString())}).`;
}

/**
 * Delivers each notice at once, in order per thread, in this process (the terminal demo and
 * tests that want no outbox). A message Slack refuses is logged and the run goes on.
 */
export function directSlackNotifier(d: DeliveryDeps): RunNotifier {
  const threads = new Map<string, { state: ThreadState; tail: Promise<void> }>();
  const entry = async (thread: ThreadRef) => {
    const known = threads.get(thread.key);
    if (known) return known;
    const run = thread.runId ? await d.runs.get(thread.runId).catch(() => undefined) : undefined;
    const rootTs = run?.slack?.rootTs;
    const fresh = threads.get(thread.key) ?? { state: rootTs ? { rootTs } : {}, tail: Promise.resolve() };
    threads.set(thread.key, fresh);
    return fresh;
  };
  const notifier: RunNotifier = {
    async notify(thread, notice) {
      const t = await entry(thread);
      const step = t.tail.then(async () => {
        try {
          t.state = await deliverNotice(d, thread, t.state, notice);
        } catch (error) {
          d.log.warn({ thread: thread.key, notice: notice.kind, err: error }, 'slack call failed');
        }
      });
      t.tail = step;
      await step;
    },
    async handOffLogin(thread, login, remember) {
      const dm = await handOffInDm(d.chat, login, remember);
      await notifier.notify(thread, { kind: 'note', text: handedOffWords(login.requester, login.handoff) });
      return dm;
    },
  };
  return notifier;
}
