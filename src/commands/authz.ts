import type { EnvironmentConfig } from '../config/config.ts';
import type { CommandDeps, Invocation } from './context.ts';

/** True when the user is listed, or is a member of a listed user group. */
export async function isListed(
  principals: readonly string[],
  userId: string,
  groupMembers: CommandDeps['groupMembers'],
): Promise<boolean> {
  if (principals.includes(userId)) return true;
  for (const group of principals.filter((p) => p.startsWith('S'))) {
    if ((await groupMembers(group)).includes(userId)) return true;
  }
  return false;
}

export type Permission = { ok: true } | { ok: false; why: string };

/** Starting, cancelling and switching off: a requester (or, for cancel/off, an approver), in an allowed channel. */
export async function mayOperate(
  deps: CommandDeps,
  env: EnvironmentConfig,
  who: Invocation,
  action: 'start' | 'cancel' | 'off',
): Promise<Permission> {
  const { policy } = env;
  if (policy.channels.length > 0 && !policy.channels.includes(who.channelId as never)) {
    return {
      ok: false,
      why: `Runs for *${env.name}* can only be started from ${policy.channels.map((c) => `<#${c}>`).join(', ')}.`,
    };
  }
  const allowed = action === 'start' ? policy.requesters : [...policy.requesters, ...policy.approvers];
  if (allowed.length === 0) {
    return {
      ok: false,
      why: `Nobody may ${action} *${env.name}* yet: add Slack user or group ids to policy.requesters in the config.`,
    };
  }
  if (!(await isListed(allowed, who.userId, deps.groupMembers))) {
    return {
      ok: false,
      why: `You are not allowed to ${action} *${env.name}*. Ask the platform team to add you to its requesters.`,
    };
  }
  return { ok: true };
}
