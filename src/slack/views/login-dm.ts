import type { DeviceCodeHandoff } from '../../auth/login.ts';
import type { Block } from '../chat.ts';
import { context, section } from './format.ts';

export const OPEN_LOGIN_PAGE_ACTION = 'open_login_page';

/** The device code, to the requester only: the code, an "Open login page" button, the expiry. */
export function loginDm(env: string, handoff: DeviceCodeHandoff): { text: string; blocks: Block[] } {
  const expires = `<!date^${Math.floor(handoff.expiresAt.getTime() / 1000)}^{time}|${handoff.expiresAt.toISOString()}>`;
  return {
    text: `pc-verify ${env}: sign in with code ${handoff.userCode}`,
    blocks: [
      section(`*pc-verify · ${env}* needs you to sign in (Phase 2 of the activation runbook).`),
      section(
        `Your code: *\`${handoff.userCode}\`*\nOpen the login page, enter the code, and approve (MFA included).`,
      ),
      {
        type: 'actions',
        block_id: 'login',
        elements: [
          {
            type: 'button',
            action_id: OPEN_LOGIN_PAGE_ACTION,
            text: { type: 'plain_text', text: 'Open login page' },
            url: handoff.verificationUri,
            style: 'primary',
          },
        ],
      },
      context(`The code expires at ${expires}. Nobody else sees this message.`),
    ],
  };
}

/** The DM after the login ended (or its code became void): the code is gone from it. */
export function loginDmDone(env: string, outcome: string): { text: string; blocks: Block[] } {
  const text = `pc-verify ${env}: sign-in ${outcome}`;
  return {
    text,
    blocks: [section(`*pc-verify · ${env}*: sign-in ${outcome}. The code is no longer shown here.`)],
  };
}

/** The DM's first version, before the code: its place is stored before anyone sees a code. */
export function loginDmPreparing(env: string): { text: string; blocks: Block[] } {
  const text = `pc-verify ${env}: preparing your sign-in code…`;
  return { text, blocks: [section(`*pc-verify · ${env}*: preparing your sign-in code…`)] };
}
