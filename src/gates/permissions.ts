import type { EnvironmentConfig } from '../config/config.ts';
import type { ApprovalRule } from '../domain/approvals.ts';
import type { RunRecord } from '../domain/run.ts';
import { type Message, message } from '../i18n/index.ts';
import { type Directory, DirectoryLookupFailed, isListed } from './directory.ts';

/**
 * Who may do what (docs/architecture.md#security-rules), in one place: start, cancel, switch off, approve, answer the
 * outage confirmation, and the self-approval rule. Deny by default: an empty list allows nobody.
 * A refusal is a `Message`: the edge words it in the deployment's language, the audit trail in English.
 */
export type Permission = { ok: true } | { ok: false; why: Message };

/** `read`: plan, status and history, which show an environment's commands, runs and flag. */
export type Operation = 'start' | 'cancel' | 'off' | 'read';

/** Who asks, and from where. */
export interface Actor {
  readonly userId: string;
  readonly channelId: string;
}

/**
 * Starting needs a requester; cancelling, the kill switch and the read commands a requester or
 * an approver. All only from the environment's channels (when it lists any).
 */
export async function mayOperate(
  directory: Directory,
  env: EnvironmentConfig,
  who: Actor,
  operation: Operation,
): Promise<Permission> {
  const { policy } = env;
  if (policy.channels.length > 0 && !(policy.channels as readonly string[]).includes(who.channelId)) {
    const where = policy.channels.map((c) => `<#${c}>`).join(', ');
    return { ok: false, why: message('permissions.channels', { env: env.name, where }) };
  }
  const allowed: readonly string[] =
    operation === 'start' ? policy.requesters : [...policy.requesters, ...approverPrincipals(env)];
  if (allowed.length === 0)
    return { ok: false, why: message(`permissions.nobody.${operation}`, { env: env.name }) };
  try {
    if (await isListed(allowed, who.userId, directory)) return { ok: true };
  } catch (error) {
    if (!(error instanceof DirectoryLookupFailed)) throw error;
    return { ok: false, why: message('permissions.groupLookup', { why: error.message }) };
  }
  return { ok: false, why: message(`permissions.notAllowed.${operation}`, { env: env.name }) };
}

export function isRequester(run: RunRecord, userId: string): boolean {
  return run.requester.kind === 'slack' && run.requester.userId === userId;
}

/** The second-person rule: a listed approver who is not the requester. A failed group lookup denies. */
export async function mayApprove(
  directory: Directory,
  env: EnvironmentConfig,
  run: RunRecord,
  userId: string,
): Promise<Permission> {
  if (isRequester(run, userId)) return { ok: false, why: message('permissions.selfApproval') };
  if (!(await isListed(approverPrincipals(env), userId, directory).catch(() => false)))
    return { ok: false, why: message('permissions.notApprover', { env: run.env }) };
  return { ok: true };
}

/** What the environment's approval asks for: `policy.approvals` people, one per approval group. */
export function approvalRule(env: EnvironmentConfig): ApprovalRule {
  return { approvals: env.policy.approvals, groups: env.policy.approvalGroups };
}

/** Who may approve: the listed approvers and the members of the approval groups. */
export function approverPrincipals(env: EnvironmentConfig): readonly string[] {
  return [...env.policy.approvers, ...env.policy.approvalGroups];
}

/**
 * The approval groups `userId` is in (docs/architecture.md#security-rules): each group is
 * asked, and a group the directory cannot answer for throws DirectoryLookupFailed — an
 * approval is counted against its groups, so a failed look-up refuses rather than guesses.
 */
export async function approvalGroupsOf(
  directory: Directory,
  env: EnvironmentConfig,
  userId: string,
): Promise<string[]> {
  const groups: string[] = [];
  for (const group of env.policy.approvalGroups)
    if ((await directory.members(group)).includes(userId)) groups.push(group);
  return groups;
}

/** Only the requester may let Phase 1 switch a live flag OFF; the requester or an approver may stop. */
export async function mayAnswerOutage(
  directory: Directory,
  env: EnvironmentConfig | undefined,
  run: RunRecord,
  userId: string,
  confirm: boolean,
): Promise<Permission> {
  const requester = isRequester(run, userId);
  const allowed = confirm
    ? requester
    : requester ||
      (env !== undefined && (await isListed(approverPrincipals(env), userId, directory).catch(() => false)));
  return allowed ? { ok: true } : { ok: false, why: message('permissions.notRequester') };
}
