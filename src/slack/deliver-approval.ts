import { ACTIVE_STATES, TERMINAL_STATES } from '../domain/run.ts';
import { type Directory, isGroup } from '../gates/directory.ts';
import { type Language, translator } from '../i18n/index.ts';
import type { RunNotice, ThreadRef } from '../outbox/run-notices.ts';
import type { RunStore } from '../store/run-store.ts';
import type { Block, Chat } from './chat.ts';
import { approvalDecided, approvalRequest } from './views/approval.ts';
import { slackDate } from './views/format.ts';
import { withWindowNote } from './views/window.ts';

const ANY_STATE = [...ACTIVE_STATES, ...TERMINAL_STATES];

/** What the approval request's delivery needs of the Slack delivery. */
export interface ApprovalDeliveryDeps {
  readonly chat: Chat;
  readonly runs: RunStore;
  readonly groups: Directory;
  readonly language?: Language;
}

/** A reply in the run's thread (broadcast to the channel when asked); its ts, when posted. */
export type ThreadReply = (
  text: string,
  blocks?: readonly Block[],
  broadcast?: boolean,
) => Promise<string | undefined>;

/** The request, and its ts stored on the run: a click counts only from that message. */
export async function approvalRequested(
  d: ApprovalDeliveryDeps,
  thread: ThreadRef,
  notice: Extract<RunNotice, { kind: 'approval_requested' }>,
  reply: ThreadReply,
): Promise<void> {
  await reply(
    `:raising_hand: ${translator(d.language ?? 'en')('thread.approvalAsked', { env: notice.run.env, when: slackDate(notice.expiresAt) })}`,
  );
  const members = await mentions(d.groups, notice.approvers);
  const asked = approvalRequest(
    translator(d.language ?? 'en'),
    notice.run,
    notice.approvers,
    members,
    notice.expiresAt,
    notice.rule ?? { approvals: 1, groups: [] },
  );
  const request = withWindowNote(asked, notice.window, d.language);
  // Broadcast: the approvers see it in the channel, not only whoever follows the thread.
  const messageTs = await reply(request.text, request.blocks, true);
  if (!messageTs || !thread.runId) return;
  // In any state: a run that ended before the request got posted (a Slack outage) still has its
  // buttons closed by the run_closed that follows; a click counts only while awaiting_approval.
  await d.runs.patch(thread.runId, ANY_STATE, (run) =>
    run.approval ? { approval: { ...run.approval, messageTs } } : {},
  );
}

/** One more approval: the request is drawn again in place, with who approved and how many more. */
export async function approvalGiven(
  d: ApprovalDeliveryDeps,
  thread: ThreadRef,
  notice: Extract<RunNotice, { kind: 'approval_given' }>,
): Promise<void> {
  const messageTs = notice.run.approval?.messageTs;
  if (!messageTs) return;
  // Only while the request still waits: a decision or an end drew it for the last time already.
  const now = thread.runId ? await d.runs.get(thread.runId) : undefined;
  if (now && now.state !== 'awaiting_approval') return;
  const members = await mentions(d.groups, notice.approvers);
  const drawn = approvalRequest(
    translator(d.language ?? 'en'),
    { ...notice.run, ...(now?.approvals ? { approvals: now.approvals } : {}) },
    notice.approvers,
    members,
    notice.expiresAt,
    notice.rule ?? { approvals: 1, groups: [] },
  );
  const request = withWindowNote(drawn, notice.window, d.language);
  await d.chat.update(thread.channel, messageTs, request.text, request.blocks);
}

export async function approvalAnswered(
  d: ApprovalDeliveryDeps,
  thread: ThreadRef,
  notice: Extract<RunNotice, { kind: 'approval_decided' }>,
): Promise<void> {
  const run = thread.runId ? await d.runs.get(thread.runId) : undefined;
  const messageTs = run?.approval?.messageTs;
  if (!messageTs) return;
  const { text, blocks } = approvalDecided(
    translator(d.language ?? 'en'),
    notice.env,
    notice.decision,
    notice.by,
    notice.purpose,
    notice.reason,
    notice.approvedBy,
  );
  await d.chat.update(thread.channel, messageTs, text, blocks);
}

/** Approvers as mentions: users directly, user groups as their members (falling back to the group). */
async function mentions(groups: Directory, approvers: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const principal of approvers) {
    if (!isGroup(principal)) {
      out.add(`<@${principal}>`);
      continue;
    }
    const members = await groups.members(principal).catch(() => undefined);
    if (members && members.length > 0) for (const m of members) out.add(`<@${m}>`);
    else out.add(`<!subteam^${principal}>`);
  }
  return [...out];
}
