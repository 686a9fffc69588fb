import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { Translate } from '../i18n/index.ts';
import type { DmRef } from '../store/login-dm.ts';
import type { Chat } from './chat.ts';
import { slackDate } from './views/format.ts';
import { loginDm, loginDmPreparing } from './views/login-dm.ts';

/**
 * The sign-in code goes to the requester's DM; the thread only learns that it was handed over.
 * The DM is posted without the code first and `remember`ed, and only then shows the code: every
 * code a person can see is in a DM some process can find again and void.
 */
export async function handOffInDm(
  t: Translate,
  chat: Chat,
  login: { readonly env: string; readonly requester: string; readonly handoff: DeviceCodeHandoff },
  remember: (dm: DmRef) => Promise<void>,
): Promise<DmRef> {
  const channel = await chat.openDm(login.requester);
  const preparing = loginDmPreparing(t, login.env);
  const dm = { channel, ts: await chat.post(channel, preparing.text, preparing.blocks) };
  await remember(dm);
  const { text, blocks } = loginDm(t, login.env, login.handoff);
  await chat.update(dm.channel, dm.ts, text, blocks);
  return dm;
}

export function handedOffWords(t: Translate, requester: string, expiresAt: string): string {
  return `:closed_lock_with_key: ${t('thread.loginHandedOff', { who: `<@${requester}>`, when: slackDate(expiresAt) })}`;
}
