import { type ApprovalRule, tally } from '../../domain/approvals.ts';
import type { RunRecord } from '../../domain/run.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { checkLine, confirmedButton, context, escapeMrkdwn, section } from './format.ts';
import { ticketLine } from './ticket.ts';

export const APPROVE_ACTION = 'approve_run';
export const REJECT_ACTION = 'reject_run';

/** Approvers as Slack mentions: a user group notifies its members itself (`<!subteam^S…>`). */
export function approverMentions(approvers: readonly string[]): string[] {
  return approvers.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`));
}

/**
 * The approval request: Phases 0–2 as evidence, who may decide, until when; Approve asks again.
 * Mobile notifications show only `text`, so the approvers are named there (a user group by its
 * own mention, which pages its members); the blocks name the members as the directory knows them.
 */
export function approvalRequest(
  t: Translate,
  run: RunRecord,
  approvers: readonly string[],
  members: readonly string[],
  expiresAt: string,
  rule?: ApprovalRule,
): { text: string; blocks: Block[] } {
  const requester = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  const none = t('approval.request.noneConfigured');
  const mentions = approverMentions(approvers).join(' ') || none;
  const evidence = evidenceLines(t, run);
  const identity = signedInAs(run);
  const until = `<!date^${Math.floor(Date.parse(expiresAt) / 1000)}^{date_short} {time}|${expiresAt}>`;
  const login = run.purpose === 'login';
  const ask = t(login ? 'approval.request.askLogin' : 'approval.request.askFlag', { env: run.env });
  const progress = rule ? approvalProgress(run, rule, t) : undefined;
  const env = escapeMrkdwn(run.env);
  return {
    text: `${t('approval.request.text', { mentions, ask, requester })}${progress ? ` ${progress.text}` : ''}`,
    blocks: [
      section(
        `:raising_hand: ${t(login ? 'approval.request.headLogin' : 'approval.request.headFlag', { requester, env })}`,
      ),
      ...(run.ticket ? [context(ticketLine(run.ticket, t))] : []),
      ...(evidence.length > 0 ? [section(evidence.join('\n'))] : []),
      ...(identity
        ? [
            section(
              `:bust_in_silhouette: ${t('approval.request.actsAs', { identity: identity.replaceAll('`', "'"), env })}`,
            ),
          ]
        : []),
      context(t('approval.request.requested', { requester, approvers: members.join(' ') || none, until })),
      ...(progress ? [context(progress.line)] : []),
      decisionButtons(t, run, requester, login),
    ],
  };
}

/**
 * Who has approved and how many are still needed (shown only when more than one person, or
 * one per group, must approve: a single approver's request reads as it always did).
 */
function approvalProgress(
  run: RunRecord,
  rule: ApprovalRule,
  t: Translate,
): { text: string; line: string } | undefined {
  if (rule.approvals <= 1 && rule.groups.length === 0) return undefined;
  const approvals = run.approvals ?? [];
  const counted = tally(approvals, rule);
  const groups = (list: readonly string[]) => approverMentions(list).join(' ');
  const needs = t('approval.needs', { count: rule.approvals });
  const parts = [
    `:busts_in_silhouette: ${needs}${rule.groups.length > 0 ? `, ${t('approval.fromEach', { groups: groups(rule.groups) })}` : ''}.`,
    approvals.length > 0
      ? t('approval.soFar', { people: approvals.map((a) => `<@${a.by}>`).join(', ') })
      : t('approval.noneYet'),
    ...(counted.needed > 0 ? [t('approval.stillNeeded', { count: counted.needed })] : []),
    ...(counted.missingGroups.length > 0
      ? [t('approval.stillFrom', { groups: groups(counted.missingGroups) })]
      : []),
  ];
  return {
    text: t('approval.progressText', { count: counted.count, required: counted.required }),
    line: parts.join(' '),
  };
}

/** Phases 0–2 as they ended: what the approver decides on. */
function evidenceLines(t: Translate, run: RunRecord): string[] {
  return run.phases
    .filter((p) => p.phase < 3)
    .map((p) =>
      [
        t('approval.request.phase', { phase: p.phase, status: p.status.toUpperCase() }),
        ...p.checks.map((c) => `      ${checkLine(c)}`),
      ].join('\n'),
    );
}

/** Approve (behind a confirm dialog) and Reject, both carrying the run's id. */
function decisionButtons(t: Translate, run: RunRecord, requester: string, login: boolean): Block {
  const env = escapeMrkdwn(run.env);
  return {
    type: 'actions',
    block_id: 'approval',
    elements: [
      confirmedButton(APPROVE_ACTION, t('approval.buttons.approve'), run.id, 'primary', {
        title: t(login ? 'approval.buttons.titleLogin' : 'approval.buttons.titleFlag'),
        text: t(login ? 'approval.buttons.confirmLogin' : 'approval.buttons.confirmFlag', { requester, env }),
        yes: t('approval.buttons.approve'),
        no: t('approval.buttons.notNow'),
      }),
      {
        // No confirm dialog: Reject opens a modal for the reason, which is its confirmation.
        type: 'button',
        action_id: REJECT_ACTION,
        text: { type: 'plain_text', text: t('approval.buttons.reject') },
        style: 'danger',
        value: run.id,
      },
    ],
  };
}

/** The full account of the run's sign-in (`upn (object id …)`), as Phase 2 observed it. */
function signedInAs(run: RunRecord): string | undefined {
  const check = run.phases
    .find((p) => p.phase === 2)
    ?.checks.find((c) => c.id === 'auth.device_code' && c.status === 'pass');
  // The record's observed text (the check's own words, not the chat's): parsed, never shown as is.
  return check?.observed.match(/^signed in as (.+)$/s)?.[1];
}

/** The request once decided: the buttons are gone, who decided (and why) stays. */
export function approvalDecided(
  t: Translate,
  env: string,
  decision: 'approved' | 'rejected',
  by: string,
  purpose?: 'login',
  reason?: string,
  approvedBy?: readonly string[],
): { text: string; blocks: Block[] } {
  const who = approvedBy && approvedBy.length > 1 ? approvedBy.map((u) => `<@${u}>`).join(', ') : `<@${by}>`;
  const login = purpose === 'login';
  const why = reason ? ` ${t('approval.decided.reason', { reason: escapeMrkdwn(reason) })}` : '';
  const text =
    decision === 'approved'
      ? t(login ? 'approval.decided.approvedLogin' : 'approval.decided.approvedFlag', { who })
      : `${t(login ? 'approval.decided.rejectedLogin' : 'approval.decided.rejectedFlag', { who: `<@${by}>` })}${why}`;
  return { text: `${env}: ${text}`, blocks: [section(`:ballot_box_with_check: ${text}`)] };
}

/** The thread's line for a decision; a typed reason is shown as text, never as markup. */
export function decisionReply(
  t: Translate,
  decision: 'approved' | 'rejected',
  by: string,
  purpose?: 'login',
  reason?: string,
): string {
  const login = purpose === 'login';
  const who = `<@${by}>`;
  if (decision === 'approved')
    return `:ballot_box_with_check: ${t(login ? 'approval.reply.approvedLogin' : 'approval.reply.approvedFlag', { who })}`;
  const why = reason ? ` ${t('approval.decided.reason', { reason: escapeMrkdwn(reason) })}` : '';
  return `:no_entry: ${t(login ? 'approval.reply.rejectedLogin' : 'approval.reply.rejectedFlag', { who })}${why}`;
}

/** The request of a run that ended undecided (expired, voided, cancelled): no live button stays. */
export function approvalClosed(
  t: Translate,
  env: string,
  how: string,
  reason: string,
): { text: string; blocks: Block[] } {
  const text = t('approval.closed', { how, reason });
  return { text: `${env}: ${text}`, blocks: [section(`:heavy_minus_sign: ${text}`)] };
}
