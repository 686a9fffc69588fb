import type { RunRecord } from '../../domain/run.ts';
import type { Block } from '../chat.ts';
import { escapeMrkdwn, section } from './format.ts';

export const CONFIRM_OUTAGE_ACTION = 'confirm_flag_off';
export const DECLINE_OUTAGE_ACTION = 'decline_flag_off';

/** Asked before anything changes: the flag is ON in prod and Phase 1 turns it OFF. */
export function outageConfirmationRequest(run: RunRecord): { text: string; blocks: Block[] } {
  const env = escapeMrkdwn(run.env);
  const who = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  return {
    text: `The flag is ON in ${run.env}: confirm that Phase 1 may turn it OFF`,
    blocks: [
      section(
        `:warning: ${who}, the Partner Center flag is *ON* in *${env}* right now. Phase 1 turns it OFF for verification — an outage of a live feature until Phase 3 turns it ON again. Nothing has changed yet.`,
      ),
      {
        type: 'actions',
        block_id: 'outage',
        elements: [
          {
            type: 'button',
            action_id: CONFIRM_OUTAGE_ACTION,
            text: { type: 'plain_text', text: 'Turn it OFF and verify' },
            style: 'danger',
            value: run.id,
            confirm: {
              title: { type: 'plain_text', text: 'Turn the live flag OFF?' },
              text: { type: 'mrkdwn', text: `Partner Center stops working in ${env} until Phase 3 passes.` },
              confirm: { type: 'plain_text', text: 'Turn it OFF' },
              deny: { type: 'plain_text', text: 'Not now' },
              style: 'danger',
            },
          },
          {
            type: 'button',
            action_id: DECLINE_OUTAGE_ACTION,
            text: { type: 'plain_text', text: 'Stop, change nothing' },
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
export function outageConfirmationClosed(env: string, what: string): { text: string; blocks: Block[] } {
  const text = `The flag was ON in ${env}: ${what}`;
  return { text, blocks: [section(`:heavy_minus_sign: ${text}`)] };
}
