import type { RunRecord } from '../domain/run.ts';
import type { ThreadRef } from '../outbox/run-notices.ts';
import type { RunStore } from '../store/run-store.ts';
import type { Chat } from './chat.ts';
import { approvalClosed } from './views/approval.ts';
import { escapeMrkdwn } from './views/format.ts';
import { outageConfirmationClosed } from './views/outage-confirmation.ts';

/** What closing a run's buttons needs: the messages' ts are in the run's record. */
type Deps = { readonly chat: Chat; readonly runs: RunStore };

/** How a run ended, as the rest of a sentence ("the run …"). */
const ENDED_HOW: Partial<Record<RunRecord['state'], string>> = {
  expired: 'expired',
  cancelled: 'was cancelled',
  failed: 'failed',
  rolled_back: 'was rolled back',
  passed: 'passed',
};

/**
 * A run ended: no message of it keeps a live button. An undecided approval request or an
 * unanswered outage question says how the run ended instead; an approval whose Phase 3 never
 * ran (voided, cancelled after the click) says that too. The message ts are read from the
 * store: the notifier stored them when it posted the messages, after the run was snapshotted.
 */
export async function closeButtons(d: Deps, thread: ThreadRef, ended: RunRecord): Promise<void> {
  const stored = thread.runId ? await d.runs.get(thread.runId) : undefined;
  const run = stored ?? ended;
  const how = ENDED_HOW[ended.state] ?? `ended (${ended.state})`;
  // The reason may quote what a check saw (Azure AD's words, a worker's line): shown as text.
  const reason = escapeMrkdwn(ended.report?.reason ?? ended.reason ?? '');
  const approvalTs = run.approval?.messageTs;
  const phase3Ran = ended.phases.some((p) => p.phase === 3 && p.status !== 'not_run');
  const decision = run.decision;
  if (approvalTs && (!decision || (decision.decision === 'approved' && !phase3Ran))) {
    const closed = decision
      ? approvalClosed(run.env, `was approved by <@${decision.by}> but ${how} before Phase 3`, reason)
      : approvalClosed(run.env, how, reason);
    await d.chat.update(thread.channel, approvalTs, closed.text, closed.blocks);
  }
  if (run.confirmationTs && !run.outageConfirmedBy) {
    const { text, blocks } = outageConfirmationClosed(run.env, `the run ${how}. ${reason}`);
    await d.chat.update(thread.channel, run.confirmationTs, text, blocks);
  }
}

/** The requester's mention before a verdict, or nothing for a run started off Slack. */
export async function verdictMention(d: Deps, thread: ThreadRef): Promise<string> {
  const run = thread.runId ? await d.runs.get(thread.runId).catch(() => undefined) : undefined;
  return run?.requester.kind === 'slack' ? `<@${run.requester.userId}> ` : '';
}
