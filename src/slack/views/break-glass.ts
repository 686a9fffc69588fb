import type { Translate } from '../../i18n/index.ts';
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
export function breakGlassMessage(t: Translate, n: BreakGlassNotice): { text: string; blocks: Block[] } {
  const what = n.action === 'run' ? t('views.breakGlass.ranRun') : t('views.breakGlass.signedIn');
  const who = outsideText(n.by);
  const headline = `:rotating_light: ${t('views.breakGlass.headline', { env: escapeMrkdwn(n.env), who, what })}`;
  const reason = t('views.breakGlass.reason', { reason: escapeMrkdwn(n.reason) });
  const by = escapeMrkdwn(n.by);
  if (n.reviewedBy) {
    return {
      text: t('views.breakGlass.reviewedText', { env: n.env, who: by, reviewer: `<@${n.reviewedBy}>` }),
      blocks: [
        section(headline),
        section(reason),
        context(
          `:ballot_box_with_check: ${t('views.breakGlass.reviewedBy', { reviewer: `<@${n.reviewedBy}>` })}`,
        ),
      ],
    };
  }
  const mentions = approverMentions(n.approvers).join(' ');
  return {
    text: t('views.breakGlass.pleaseReviewText', { mentions, env: n.env, who: by }),
    blocks: [
      section(headline),
      section(reason),
      context(t('views.breakGlass.pleaseReview', { mentions })),
      {
        type: 'actions',
        block_id: 'break_glass',
        elements: [
          {
            type: 'button',
            action_id: BREAK_GLASS_REVIEWED_ACTION,
            text: { type: 'plain_text', text: t('views.breakGlass.reviewed') },
            style: 'primary',
            value: breakGlassRef(n.env, n.id),
          },
        ],
      },
    ],
  };
}
