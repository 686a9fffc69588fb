import { type ApprovalRule, tally } from '../../domain/approvals.ts';
import type { RunRecord } from '../../domain/run.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { checkLine, context, escapeMrkdwn, section } from './format.ts';
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
  run: RunRecord,
  approvers: readonly string[],
  members: readonly string[],
  expiresAt: string,
  count?: ApprovalCount,
): { text: string; blocks: Block[] } {
  const requester = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  const mentions = approverMentions(approvers).join(' ') || 'none configured';
  const evidence = evidenceLines(run);
  const identity = signedInAs(run);
  const until = `<!date^${Math.floor(Date.parse(expiresAt) / 1000)}^{date_short} {time}|${expiresAt}>`;
  const login = run.purpose === 'login';
  const ask = login
    ? `sign in again for ${run.env} (Phase 2 alone, a new token cache for Hunter; the flag is not touched)`
    : `turn the Partner Center flag ON in ${run.env}`;
  const progress = count ? approvalProgress(run, count) : undefined;
  return {
    text: `${mentions}: approval needed to ${ask}, requested by ${requester}.${progress ? ` ${progress.text}` : ''}`,
    blocks: [
      section(
        login
          ? `:raising_hand: *Approval needed* — ${requester} asks to sign in again for *${escapeMrkdwn(run.env)}*: a new token cache for Hunter (Phase 2 alone; the flag is not touched).`
          : `:raising_hand: *Approval needed* — Phase 3 turns the Partner Center flag ON in *${escapeMrkdwn(run.env)}*.`,
      ),
      ...(run.ticket ? [context(ticketLine(run.ticket, count?.t ?? translator('en')))] : []),
      ...(evidence.length > 0 ? [section(evidence.join('\n'))] : []),
      ...(identity
        ? [
            section(
              `:bust_in_silhouette: *Hunter will act as* \`${identity.replaceAll('`', "'")}\` — the account that signed in. Approve only if this is the account meant to be ${escapeMrkdwn(run.env)}'s Partner Center identity.`,
            ),
          ]
        : []),
      context(
        `Requested by ${requester} (who cannot approve). Approvers: ${members.join(' ') || 'none configured'}. Expires ${until}.`,
      ),
      ...(progress ? [context(progress.line)] : []),
      decisionButtons(run, requester, login),
    ],
  };
}

/** How many must approve and from which groups, in the deployment's language. */
export interface ApprovalCount {
  readonly rule: ApprovalRule;
  readonly t: Translate;
}

/**
 * Who has approved and how many are still needed (shown only when more than one person, or
 * one per group, must approve: a single approver's request reads as it always did).
 */
function approvalProgress(
  run: RunRecord,
  { rule, t }: ApprovalCount,
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
function evidenceLines(run: RunRecord): string[] {
  return run.phases
    .filter((p) => p.phase < 3)
    .map((p) =>
      [
        `*Phase ${p.phase}* — ${p.status.toUpperCase()}`,
        ...p.checks.map((c) => `      ${checkLine(c)}`),
      ].join('\n'),
    );
}

/** Approve (behind a confirm dialog) and Reject, both carrying the run's id. */
function decisionButtons(run: RunRecord, requester: string, login: boolean): Block {
  return {
    type: 'actions',
    block_id: 'approval',
    elements: [
      {
        type: 'button',
        action_id: APPROVE_ACTION,
        text: { type: 'plain_text', text: 'Approve' },
        style: 'primary',
        value: run.id,
        confirm: {
          title: { type: 'plain_text', text: login ? 'Allow the sign-in?' : 'Turn the flag ON?' },
          text: {
            type: 'mrkdwn',
            text: login
              ? `Let ${requester} sign in again for ${escapeMrkdwn(run.env)}?`
              : `Turn the Partner Center flag ON in ${escapeMrkdwn(run.env)}?`,
          },
          confirm: { type: 'plain_text', text: 'Approve' },
          deny: { type: 'plain_text', text: 'Not now' },
          style: 'primary',
        },
      },
      {
        // No confirm dialog: Reject opens a modal for the reason, which is its confirmation.
        type: 'button',
        action_id: REJECT_ACTION,
        text: { type: 'plain_text', text: 'Reject' },
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
  return check?.observed.startsWith('signed in as ')
    ? check.observed.slice('signed in as '.length)
    : undefined;
}

/** The request once decided: the buttons are gone, who decided (and why) stays. */
export function approvalDecided(
  env: string,
  decision: 'approved' | 'rejected',
  by: string,
  purpose?: 'login',
  reason?: string,
  approvedBy?: readonly string[],
): { text: string; blocks: Block[] } {
  const who = approvedBy && approvedBy.length > 1 ? approvedBy.map((u) => `<@${u}>`).join(', ') : `<@${by}>`;
  const approved = purpose === 'login' ? 'the sign-in code goes to the requester now.' : 'Phase 3 runs now.';
  const rejected = purpose === 'login' ? 'no sign-in.' : 'the flag stays OFF.';
  const why = reason ? ` Reason: ${escapeMrkdwn(reason)}` : '';
  const text =
    decision === 'approved' ? `Approved by ${who}: ${approved}` : `Rejected by <@${by}>: ${rejected}${why}`;
  return { text: `${env}: ${text}`, blocks: [section(`:ballot_box_with_check: ${text}`)] };
}

/** The thread's line for a decision; a typed reason is shown as text, never as markup. */
export function decisionReply(
  decision: 'approved' | 'rejected',
  by: string,
  purpose?: 'login',
  reason?: string,
): string {
  const login = purpose === 'login';
  if (decision === 'approved')
    return login
      ? `:ballot_box_with_check: Approved by <@${by}>: the sign-in code goes to the requester's DM now.`
      : `:ballot_box_with_check: Approved by <@${by}>: Phase 3 turns the flag ON now.`;
  const why = reason ? ` Reason: ${escapeMrkdwn(reason)}` : '';
  return login
    ? `:no_entry: Rejected by <@${by}>: no sign-in; the token cache stays as it is.${why}`
    : `:no_entry: Rejected by <@${by}>: Phase 3 does not run; the flag stays OFF.${why}`;
}

/** The request of a run that ended undecided (expired, voided, cancelled): no live button stays. */
export function approvalClosed(env: string, how: string, reason: string): { text: string; blocks: Block[] } {
  const text = `No decision needed any more: the run ${how}. ${reason}`;
  return { text: `${env}: ${text}`, blocks: [section(`:heavy_minus_sign: ${text}`)] };
}
