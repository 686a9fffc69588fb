import type { RunNotice } from '../../outbox/run-notices.ts';
import type { Block } from '../chat.ts';
import { approverMentions } from './approval.ts';
import { context, escapeMrkdwn, outsideText, section } from './format.ts';

export const BREAK_GLASS_REVIEWED_ACTION = 'break_glass_reviewed';

/** The button's value: which environment and which break-glass (checked again at click time). */
export function breakGlassRef(env: string, id: string): string {
  return `${env}/${id}`;
}

type BreakGlassNotice = Extract<RunNotice, { kind: 'break_glass' }>;

/**
 * What a terminal did to an environment that needs a second person, without one: posted in
 * the environment's channel, naming the approvers (in `text`, which phones show), with a
 * "Reviewed" button an approver clicks once they looked; then it says who reviewed it.
 */
export function breakGlassMessage(n: BreakGlassNotice): { text: string; blocks: Block[] } {
  const what =
    n.action === 'run'
      ? 'ran the verification (it may turn the flag ON)'
      : 'signed in again (a new token cache)';
  const who = outsideText(n.by);
  const headline = `:rotating_light: *Break-glass in ${escapeMrkdwn(n.env)}*: ${who} ${what} from a terminal, without the approval gate.`;
  const reason = `Reason given: ${escapeMrkdwn(n.reason)}`;
  if (n.reviewedBy) {
    return {
      text: `Break-glass in ${n.env} by ${escapeMrkdwn(n.by)}: reviewed by <@${n.reviewedBy}>.`,
      blocks: [
        section(headline),
        section(reason),
        context(`:ballot_box_with_check: Reviewed by <@${n.reviewedBy}>.`),
      ],
    };
  }
  const mentions = approverMentions(n.approvers).join(' ');
  return {
    text: `${mentions}: break-glass in ${n.env} by ${escapeMrkdwn(n.by)} from a terminal; please review it.`,
    blocks: [
      section(headline),
      section(reason),
      context(`${mentions}: please look at what was done (the audit trail has it) and mark it reviewed.`),
      {
        type: 'actions',
        block_id: 'break_glass',
        elements: [
          {
            type: 'button',
            action_id: BREAK_GLASS_REVIEWED_ACTION,
            text: { type: 'plain_text', text: 'Reviewed' },
            style: 'primary',
            value: breakGlassRef(n.env, n.id),
          },
        ],
      },
    ],
  };
}
