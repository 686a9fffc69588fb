import { ACTIVE_STATES, TERMINAL_STATES } from '../domain/run.ts';
import type { Directory } from '../gates/directory.ts';
import { type Language, type Translate, translator } from '../i18n/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Delivery } from '../outbox/drain-loop.ts';
import type { RunNotice, ThreadRef } from '../outbox/run-notices.ts';
import type { ThreadPlaces } from '../store/outbox.ts';
import type { RunStore } from '../store/run-store.ts';
import type { Block, Chat } from './chat.ts';
import { closeButtons, outageConfirmed, verdictMention } from './close-buttons.ts';
import { approvalAnswered, approvalGiven, approvalRequested } from './deliver-approval.ts';
import { handedOffWords } from './login-handoff.ts';
import { breakGlassMessage } from './views/break-glass.ts';
import { killSwitchMessage } from './views/kill-switch.ts';
import { loginDmDone, loginOutcome } from './views/login-dm.ts';
import { flagUnverifiedText, noteText, outageGoAheadText, resumedText } from './views/notes.ts';
import { outageConfirmationRequest } from './views/outage-confirmation.ts';
import { runMessage } from './views/run-message.ts';
import { phaseText, threadText } from './views/thread.ts';
import { decisionWords, windowReplyText } from './views/window.ts';

const ANY_STATE = [...ACTIVE_STATES, ...TERMINAL_STATES];

/** The deps once the deployment's words are chosen. */
type Worded = DeliveryDeps & { readonly t: Translate };

/** Where a conversation's messages are, as far as they were posted. */
export type ThreadState = ThreadPlaces;

export interface DeliveryDeps {
  readonly chat: Chat;
  readonly runs: RunStore;
  readonly groups: Directory;
  readonly log: Logger;
  /** The deployment's language (`config.language`); default `en`. */
  readonly language?: Language;
  /** The deployment's words (`language:` in the config); English when unset. */
  readonly t?: Translate;
}

/** The outbox's delivery over Slack: each notice rendered by the views below. */
export function slackDelivery(d: DeliveryDeps): Delivery {
  return {
    chat: d.chat,
    log: d.log,
    send: (chat, thread, state, notice) => deliverNotice({ ...d, chat }, thread, state, notice),
    rootRefused: (thread, code) => rootRefused(d, thread, code),
  };
}

/**
 * One notice turned into Slack calls. Throws when Slack refuses or does not answer, so the caller
 * can retry it; every ts a later click or reply needs is stored before this returns.
 */
export async function deliverNotice(
  d: DeliveryDeps,
  thread: ThreadRef,
  state: ThreadState,
  notice: RunNotice,
): Promise<ThreadState> {
  const t = d.t ?? translator('en');
  switch (notice.kind) {
    case 'root':
      return root(d, thread, state, runMessage(t, notice.run, notice.live));
    case 'kill_switch':
      return root(
        d,
        thread,
        state,
        killSwitchMessage(t, notice.env, notice.by, notice.outcome, notice.offId),
      );
    case 'break_glass':
      return root(d, thread, state, breakGlassMessage(t, notice));
    case 'phase':
      return phaseReply({ ...d, t }, thread, state, notice);
    default:
      await tellNotice({ ...d, t }, thread, state, notice);
      return state;
  }
}

type StatefulKind = 'root' | 'kill_switch' | 'break_glass' | 'phase';
type ButtonKind =
  | 'approval_requested'
  | 'approval_given'
  | 'approval_decided'
  | 'outage_confirmed'
  | 'run_closed'
  | 'outage_confirmation';

/** A notice that leaves the thread's state as it was: a reply, a DM, an updated DM. */
async function tellNotice(
  d: Worded,
  thread: ThreadRef,
  state: ThreadState,
  notice: Exclude<RunNotice, { kind: StatefulKind }>,
): Promise<void> {
  switch (notice.kind) {
    case 'requester_dm':
      await d.chat.post(
        await d.chat.openDm(notice.user),
        `:warning: ${noteText(d.t, notice.text, undefined)}`,
      );
      return;
    case 'event': {
      const text = threadText(d.t, notice.event);
      // The requester may have left the thread hours ago: the verdict notifies them.
      const to = notice.event.kind === 'finished' ? await verdictMention(d, thread) : '';
      if (text !== undefined) await reply(d, thread, state, `${to}${text}`);
      return;
    }
    case 'note':
      await reply(d, thread, state, noteText(d.t, notice.text, notice.tone, notice.people));
      return;
    case 'flag_unverified':
      await reply(d, thread, state, flagUnverifiedText(d.t, notice.env, notice.people));
      return;
    case 'run_resumed':
      await reply(d, thread, state, resumedText(d.t, notice));
      return;
    case 'change_window':
      await reply(d, thread, state, windowReplyText(notice.window, d.language));
      return;
    case 'outage_go_ahead':
      await reply(d, thread, state, outageGoAheadText(d.t, notice.by));
      return;
    case 'login_handed_off':
      await reply(d, thread, state, handedOffWords(d.t, notice.requester, notice.expiresAt));
      return;
    case 'login_ended':
      if (notice.dm) {
        const done = loginDmDone(d.t, notice.env, notice.outcome);
        await d.chat.update(notice.dm.channel, notice.dm.ts, done.text, done.blocks);
      }
      await reply(
        d,
        thread,
        state,
        `:closed_lock_with_key: ${d.t('thread.loginEnded', { outcome: loginOutcome(d.t, notice.outcome) })}`,
      );
      return;
    case 'login_void': {
      const done = loginDmDone(d.t, notice.env, notice.why);
      await d.chat.update(notice.dm.channel, notice.dm.ts, done.text, done.blocks);
      return;
    }
    default:
      return buttonNotice(d, thread, state, notice);
  }
}

/** A notice about a request with buttons: asked, answered, closed. */
async function buttonNotice(
  d: Worded,
  thread: ThreadRef,
  state: ThreadState,
  notice: Extract<RunNotice, { kind: ButtonKind }>,
): Promise<void> {
  switch (notice.kind) {
    case 'approval_requested':
      await approvalRequested(d, thread, notice, (text, blocks, broadcast) =>
        reply(d, thread, state, text, blocks, broadcast),
      );
      return;
    case 'approval_given':
      await approvalGiven(d, thread, notice);
      return;
    case 'approval_decided':
      await approvalAnswered(d, thread, notice);
      await reply(d, thread, state, decisionWords(notice, d.language));
      return;
    case 'outage_confirmed':
      await outageConfirmed(d, thread, notice);
      return;
    case 'run_closed':
      await closeButtons(d, thread, notice.run);
      return;
    case 'outage_confirmation':
      await outageQuestion(d, thread, state, notice);
      return;
  }
}

async function outageQuestion(
  d: Worded,
  thread: ThreadRef,
  state: ThreadState,
  notice: Extract<RunNotice, { kind: 'outage_confirmation' }>,
): Promise<void> {
  const request = outageConfirmationRequest(d.t, notice.run);
  const confirmationTs = await reply(d, thread, state, request.text, request.blocks);
  if (confirmationTs && thread.runId)
    // In any state: a run that ended before this got posted still has it closed (run_closed).
    await d.runs.patch(thread.runId, ANY_STATE, () => ({ confirmationTs }));
}

async function root(
  d: DeliveryDeps,
  thread: ThreadRef,
  state: ThreadState,
  message: { text: string; blocks: readonly Block[] },
): Promise<ThreadState> {
  if (state.rootTs) {
    await d.chat.update(thread.channel, state.rootTs, message.text, message.blocks);
    return state;
  }
  const rootTs = await d.chat.post(thread.channel, message.text, message.blocks);
  if (thread.runId) {
    const channel = thread.channel;
    await d.runs.patch(thread.runId, ANY_STATE, () => ({ slack: { channel, rootTs } }));
  }
  return { ...state, rootTs };
}

/** Slack refused a run's root message for good: the run record says so (its worker is waiting on it). */
export async function rootRefused(d: DeliveryDeps, thread: ThreadRef, code: string): Promise<void> {
  if (!thread.runId) return;
  await d.runs.patch(thread.runId, ANY_STATE, (run) =>
    run.slack?.rootTs ? {} : { slack: { channel: thread.channel, rootRefused: code } },
  );
}

/** A phase's one reply: posted once, then updated in place as its checks end. */
async function phaseReply(
  d: Worded,
  thread: ThreadRef,
  state: ThreadState,
  notice: Extract<RunNotice, { kind: 'phase' }>,
): Promise<ThreadState> {
  const text = phaseText(d.t, notice);
  const ts = state.replies?.[notice.key];
  if (ts) {
    await d.chat.update(thread.channel, ts, text);
    return state;
  }
  const posted = await reply(d, thread, state, text);
  return posted ? { ...state, replies: { ...state.replies, [notice.key]: posted } } : state;
}

async function reply(
  d: DeliveryDeps,
  thread: ThreadRef,
  state: ThreadState,
  text: string,
  blocks?: readonly Block[],
  broadcast = false,
): Promise<string | undefined> {
  if (!state.rootTs) {
    d.log.warn({ thread: thread.key }, 'thread reply without a root message: left out');
    return undefined;
  }
  return d.chat.post(thread.channel, text, blocks, state.rootTs, broadcast ? { broadcast } : undefined);
}
