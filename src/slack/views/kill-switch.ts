import type { Translate } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { context, section } from './format.ts';

export type KillSwitchState = 'working' | 'off' | 'not_confirmed';

export const KILL_SWITCH_REASON_ACTION = 'kill_switch_reason';

/** The button's value: which environment and which throw of the switch (checked again at click time). */
export function killSwitchRef(env: string, offId: string): string {
  return `${env}/${offId}`;
}

/**
 * The kill switch's root message: what was asked, by whom, and whether the flag is known OFF.
 * It acts first; a reason can be added after, from the button, into the audit trail.
 */
export function killSwitchMessage(
  t: Translate,
  env: string,
  by: string,
  state: KillSwitchState,
  offId?: string,
): { text: string; blocks: Block[] } {
  const text = t(`views.killSwitch.${state}`, { who: `<@${by}>`, env });
  const sign = state === 'not_confirmed' ? ':rotating_light:' : ':octagonal_sign:';
  const reason: Block[] = offId
    ? [
        {
          type: 'actions',
          block_id: 'kill_switch',
          elements: [
            {
              type: 'button',
              action_id: KILL_SWITCH_REASON_ACTION,
              text: { type: 'plain_text', text: t('views.killSwitch.addReason') },
              value: killSwitchRef(env, offId),
            },
          ],
        },
      ]
    : [];
  return {
    text,
    blocks: [section(`${sign} ${text}`), context(t('views.killSwitch.audited')), ...reason],
  };
}
