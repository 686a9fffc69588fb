import type { DeviceCodeHandoff } from '../auth/login.ts';
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
  chat: Chat,
  login: { readonly env: string; readonly requester: string; readonly handoff: DeviceCodeHandoff },
  remember: (dm: DmRef) => Promise<void>,
): Promise<DmRef> {
  const channel = await chat.openDm(login.requester);
  const preparing = loginDmPreparing(login.env);
  const dm = { channel, ts: await chat.post(channel, preparing.text, preparing.blocks) };
  await remember(dm);
  const { text, blocks } = loginDm(login.env, login.handoff);
  await chat.update(dm.channel, dm.ts, text, blocks);
  return dm;
}

export function handedOffWords(requester: string, expiresAt: string): string {
  return `:closed_lock_with_key: Login handed to <@${requester}> in DM (the code expires ${slackDate(expiresAt)}).`;
}
