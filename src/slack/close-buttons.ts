import type { RunRecord } from '../domain/run.ts';
import type { Translate } from '../i18n/index.ts';
import type { RunNotice, ThreadRef } from '../outbox/run-notices.ts';
import type { RunStore } from '../store/run-store.ts';
import type { Chat } from './chat.ts';
import { approvalClosed } from './views/approval.ts';
import { outageConfirmationClosed } from './views/outage-confirmation.ts';
import { reasonWords } from './views/reason-words.ts';

/** What closing a run's buttons needs: the messages' ts are in the run's record. */
type Deps = { readonly chat: Chat; readonly runs: RunStore };
/** Closing also words how the run ended. */
type Closing = Deps & { readonly t: Translate };

/** How a run ended, as the rest of a sentence ("the run …"). */
function endedHow(t: Translate, state: RunRecord['state']): string {
  switch (state) {
    case 'expired':
    case 'cancelled':
    case 'failed':
    case 'rolled_back':
    case 'passed':
      return t(`thread.endedHow.${state}`);
    default:
      return t('thread.endedHow.other', { state });
  }
}

/**
 * A run ended: no message of it keeps a live button. An undecided approval request or an
 * unanswered outage question says how the run ended instead; an approval whose Phase 3 never
 * ran (voided, cancelled after the click) says that too. The message ts are read from the
 * store: the notifier stored them when it posted the messages, after the run was snapshotted.
 */
export async function closeButtons(d: Closing, thread: ThreadRef, ended: RunRecord): Promise<void> {
  const stored = thread.runId ? await d.runs.get(thread.runId) : undefined;
  const run = stored ?? ended;
  const how = endedHow(d.t, ended.state);
  // The reason may quote what a check saw (Azure AD's words, a worker's line): shown as text.
  const reason = reasonWords(d.t, ended.report?.reason ?? ended.reason ?? '');
  const approvalTs = run.approval?.messageTs;
  const phase3Ran = ended.phases.some((p) => p.phase === 3 && p.status !== 'not_run');
  const decision = run.decision;
  if (approvalTs && (!decision || (decision.decision === 'approved' && !phase3Ran))) {
    const closed = decision
      ? approvalClosed(
          d.t,
          run.env,
          d.t('thread.approvedButEnded', { who: `<@${decision.by}>`, how }),
          reason,
        )
      : approvalClosed(d.t, run.env, how, reason);
    await d.chat.update(thread.channel, approvalTs, closed.text, closed.blocks);
  }
  if (run.confirmationTs && !run.outageConfirmedBy) {
    const { text, blocks } = outageConfirmationClosed(
      d.t,
      run.env,
      d.t('thread.outageClosedRun', { how, reason }),
    );
    await d.chat.update(thread.channel, run.confirmationTs, text, blocks);
  }
}

/** The outage question's buttons go once answered; who answered stays. */
export async function outageConfirmed(
  d: Closing,
  thread: ThreadRef,
  notice: Extract<RunNotice, { kind: 'outage_confirmed' }>,
): Promise<void> {
  const run = thread.runId ? await d.runs.get(thread.runId) : undefined;
  if (!run?.confirmationTs) return;
  const what = d.t('thread.outageConfirmedBy', { who: `<@${notice.by}>` });
  const { text, blocks } = outageConfirmationClosed(d.t, notice.env, what);
  await d.chat.update(thread.channel, run.confirmationTs, text, blocks);
}

/** The requester's mention before a verdict, or nothing for a run started off Slack. */
export async function verdictMention(d: Deps, thread: ThreadRef): Promise<string> {
  const run = thread.runId ? await d.runs.get(thread.runId).catch(() => undefined) : undefined;
  return run?.requester.kind === 'slack' ? `<@${run.requester.userId}> ` : '';
}
