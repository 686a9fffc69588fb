import type { EnvironmentConfig } from '../config/config.ts';
import { type GroupDirectory, GroupLookupFailed } from '../slack/groups.ts';
import type { Invocation } from './context.ts';

export type Permission = { ok: true } | { ok: false; why: string };

/** True when the user is listed, or is a member of a listed user group. */
export async function isListed(
  principals: readonly string[],
  userId: string,
  groups: GroupDirectory,
): Promise<boolean> {
  if (principals.includes(userId)) return true;
  for (const group of principals.filter((p) => p.startsWith('S'))) {
    if ((await groups.members(group)).includes(userId)) return true;
  }
  return false;
}

export type Operation = 'start' | 'cancel' | 'off';

const WORDS: Readonly<Record<Operation, string>> = {
  start: 'start runs for',
  cancel: 'cancel runs of',
  off: 'switch off',
};

/**
 * Who may change an environment (DESIGN §7): starting needs a requester; cancelling and the
 * kill switch a requester or an approver. All three only from the environment's channels
 * (when it lists any). Deny by default: an empty list allows nobody.
 */
export async function mayOperate(
  groups: GroupDirectory,
  env: EnvironmentConfig,
  who: Invocation,
  operation: Operation,
): Promise<Permission> {
  const { policy } = env;
  if (policy.channels.length > 0 && !(policy.channels as readonly string[]).includes(who.channelId)) {
    const where = policy.channels.map((c) => `<#${c}>`).join(', ');
    return {
      ok: false,
      why: `*${env.name}* can only be operated from ${where}. Go there and type the command again.`,
    };
  }
  const allowed: readonly string[] =
    operation === 'start' ? policy.requesters : [...policy.requesters, ...policy.approvers];
  const key = operation === 'start' ? 'requesters' : 'requesters or approvers';
  if (allowed.length === 0) {
    return {
      ok: false,
      why: `Nobody may ${WORDS[operation]} *${env.name}* yet: the config lists no ${key} (environments.${env.name}.policy).`,
    };
  }
  try {
    if (await isListed(allowed, who.userId, groups)) return { ok: true };
  } catch (error) {
    if (!(error instanceof GroupLookupFailed)) throw error;
    return {
      ok: false,
      why: `I could not check your user groups with Slack (${error.message}). Nothing was done; try again in a minute.`,
    };
  }
  return {
    ok: false,
    why: `You are not allowed to ${WORDS[operation]} *${env.name}*: you are not one of its ${key}. Ask the platform team to add you (or a user group you are in) to environments.${env.name}.policy.requesters.`,
  };
}
