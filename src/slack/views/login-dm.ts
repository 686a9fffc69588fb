import type { DeviceCodeHandoff } from '../../auth/login.ts';
import type { Translate } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { context, section } from './format.ts';
import { noteWords } from './reason-words.ts';

export const OPEN_LOGIN_PAGE_ACTION = 'open_login_page';

/** The device code, to the requester only: the code, an "Open login page" button, the expiry. */
export function loginDm(
  t: Translate,
  env: string,
  handoff: DeviceCodeHandoff,
): { text: string; blocks: Block[] } {
  const expires = `<!date^${Math.floor(handoff.expiresAt.getTime() / 1000)}^{time}|${handoff.expiresAt.toISOString()}>`;
  return {
    text: t('dm.codeText', { env, code: handoff.userCode }),
    blocks: [
      section(t('dm.needsSignIn', { env })),
      section(t('dm.yourCode', { code: handoff.userCode })),
      {
        type: 'actions',
        block_id: 'login',
        elements: [
          {
            type: 'button',
            action_id: OPEN_LOGIN_PAGE_ACTION,
            text: { type: 'plain_text', text: t('dm.openLoginPage') },
            url: handoff.verificationUri,
            style: 'primary',
          },
        ],
      },
      context(t('dm.expires', { when: expires })),
    ],
  };
}

const OUTCOMES = ['done', 'cancelled', 'declined', 'expired', 'failed'] as const;

/** How a sign-in ended (the lifecycle's code: done, cancelled, …) or why its code is void, in words. */
export function loginOutcome(t: Translate, outcome: string): string {
  const known = OUTCOMES.find((o) => o === outcome);
  return known ? t(`dm.outcome.${known}`) : noteWords(t, outcome);
}

/** The DM after the login ended (or its code became void): the code is gone from it. */
export function loginDmDone(t: Translate, env: string, outcome: string): { text: string; blocks: Block[] } {
  const words = loginOutcome(t, outcome);
  return {
    text: t('dm.doneText', { env, outcome: words }),
    blocks: [section(t('dm.done', { env, outcome: words }))],
  };
}

/** The DM's first version, before the code: its place is stored before anyone sees a code. */
export function loginDmPreparing(t: Translate, env: string): { text: string; blocks: Block[] } {
  return { text: t('dm.preparingText', { env }), blocks: [section(t('dm.preparing', { env }))] };
}
