import type { RunRecord } from '../../domain/run.ts';
import type { Block } from '../chat.ts';
import { checkLine, context, escapeMrkdwn, section } from './format.ts';

export const APPROVE_ACTION = 'approve_run';
export const REJECT_ACTION = 'reject_run';

/** The approval request: Phases 0–2 as evidence, who may decide, until when; Approve asks again. */
export function approvalRequest(
  run: RunRecord,
  mentions: readonly string[],
  expiresAt: string,
): { text: string; blocks: Block[] } {
  const requester = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  const evidence = run.phases
    .filter((p) => p.phase < 3)
    .map((p) =>
      [
        `*Phase ${p.phase}* — ${p.status.toUpperCase()}`,
        ...p.checks.map((c) => `      ${checkLine(c)}`),
      ].join('\n'),
    );
  const until = `<!date^${Math.floor(Date.parse(expiresAt) / 1000)}^{date_short} {time}|${expiresAt}>`;
  const login = run.purpose === 'login';
  const ask = login
    ? `sign in again for ${run.env} (Phase 2 alone, a new token cache for Hunter; the flag is not touched)?`
    : `turn the Partner Center flag ON in ${run.env}?`;
  return {
    text: `Approval needed: ${ask}`,
    blocks: [
      section(
        login
          ? `:raising_hand: *Approval needed* — ${requester} asks to sign in again for *${escapeMrkdwn(run.env)}*: a new token cache for Hunter (Phase 2 alone; the flag is not touched).`
          : `:raising_hand: *Approval needed* — Phase 3 turns the Partner Center flag ON in *${escapeMrkdwn(run.env)}*.`,
      ),
      ...(evidence.length > 0 ? [section(evidence.join('\n'))] : []),
      context(
        `Requested by ${requester} (who cannot approve). Approvers: ${mentions.join(' ') || 'none configured'}. Expires ${until}.`,
      ),
      {
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
            },
          },
          {
            type: 'button',
            action_id: REJECT_ACTION,
            text: { type: 'plain_text', text: 'Reject' },
            style: 'danger',
            value: run.id,
          },
        ],
      },
    ],
  };
}

/** The request once decided: the buttons are gone, who decided stays. */
export function approvalDecided(
  env: string,
  decision: 'approved' | 'rejected',
  by: string,
  purpose?: 'login',
): { text: string; blocks: Block[] } {
  const approved = purpose === 'login' ? 'the sign-in code goes to the requester now.' : 'Phase 3 runs now.';
  const rejected = purpose === 'login' ? 'no sign-in.' : 'the flag stays OFF.';
  const text =
    decision === 'approved' ? `Approved by <@${by}>: ${approved}` : `Rejected by <@${by}>: ${rejected}`;
  return { text: `${env}: ${text}`, blocks: [section(`:ballot_box_with_check: ${text}`)] };
}
