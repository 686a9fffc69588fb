import type { RunRecord } from '../../domain/run.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { confirmedButton, escapeMrkdwn, section } from './format.ts';

export const CONFIRM_OUTAGE_ACTION = 'confirm_flag_off';
export const DECLINE_OUTAGE_ACTION = 'decline_flag_off';

/** Asked before anything changes: the flag is ON in prod and Phase 1 turns it OFF. */
export function outageConfirmationRequest(t: Translate, run: RunRecord): { text: string; blocks: Block[] } {
  const env = escapeMrkdwn(run.env);
  const who = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  return {
    text: t('views.outage.text', { env: run.env }),
    blocks: [
      section(`:warning: ${t('views.outage.question', { who, env })}`),
      {
        type: 'actions',
        block_id: 'outage',
        elements: [
          confirmedButton(CONFIRM_OUTAGE_ACTION, t('views.outage.confirm'), run.id, 'danger', {
            title: t('views.outage.confirmTitle'),
            text: t('views.outage.confirmText', { env }),
            yes: t('views.outage.confirmYes'),
            no: t('views.outage.confirmNo'),
          }),
          {
            type: 'button',
            action_id: DECLINE_OUTAGE_ACTION,
            text: { type: 'plain_text', text: t('views.outage.decline') },
            value: run.id,
          },
        ],
      },
    ],
  };
}

/**
 * The question once it no longer waits: answered, or its run ended some other way (expired,
 * cancelled, the kill switch). The buttons go; what happened takes their place.
 */
export function outageConfirmationClosed(
  t: Translate,
  env: string,
  what: string,
): { text: string; blocks: Block[] } {
  const text = t('views.outage.closed', { env, what });
  return { text, blocks: [section(`:heavy_minus_sign: ${text}`)] };
}
