import type { Block } from '../chat.ts';
import { context, section } from './format.ts';

export type KillSwitchState = 'working' | 'off' | 'not_confirmed';

/** The kill switch's root message: what was asked, by whom, and whether the flag is known OFF. */
export function killSwitchMessage(
  env: string,
  by: string,
  state: KillSwitchState,
): { text: string; blocks: Block[] } {
  const words: Record<KillSwitchState, string> = {
    working: `:octagonal_sign: Kill switch by <@${by}>: turning the Partner Center flag OFF in *${env}*…`,
    off: `:octagonal_sign: Kill switch by <@${by}>: the Partner Center flag is OFF in *${env}* (verified with /healthz).`,
    not_confirmed: `:rotating_light: Kill switch by <@${by}> in *${env}* could NOT confirm the flag is OFF — turn it OFF by hand now.`,
  };
  const text = words[state].replace(/^:[a-z_]+: /, '');
  return {
    text,
    blocks: [section(words[state]), context('No second person needed; audited. Details in the thread.')],
  };
}
