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
  env: string,
  by: string,
  state: KillSwitchState,
  offId?: string,
): { text: string; blocks: Block[] } {
  const words: Record<KillSwitchState, string> = {
    working: `:octagonal_sign: Kill switch by <@${by}>: turning the Partner Center flag OFF in *${env}*…`,
    off: `:octagonal_sign: Kill switch by <@${by}>: the Partner Center flag is OFF in *${env}* (verified with /healthz).`,
    not_confirmed: `:rotating_light: Kill switch by <@${by}> in *${env}* could NOT confirm the flag is OFF — turn it OFF by hand now.`,
  };
  const text = words[state].replace(/^:[a-z_]+: /, '');
  const reason: Block[] = offId
    ? [
        {
          type: 'actions',
          block_id: 'kill_switch',
          elements: [
            {
              type: 'button',
              action_id: KILL_SWITCH_REASON_ACTION,
              text: { type: 'plain_text', text: 'Add a reason' },
              value: killSwitchRef(env, offId),
            },
          ],
        },
      ]
    : [];
  return {
    text,
    blocks: [
      section(words[state]),
      context('No second person needed; audited. Details in the thread.'),
      ...reason,
    ],
  };
}
