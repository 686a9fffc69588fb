import type { EnvName } from '../domain/ids.ts';
import { isListed } from '../gates/directory.ts';
import type { BotServices } from './lifecycle-deps.ts';

/**
 * Every action on an environment, or attempt at one (start, cancel, off, a decision — refusals
 * included), leaves an entry in its audit stream. Look-ups (status, plan, history) do not: they
 * change nothing; the structured log line of each slash command records who looked.
 */
export async function auditCommand(
  deps: Pick<BotServices, 'audit' | 'now'>,
  env: EnvName,
  actor: string,
  action: string,
  outcome: 'accepted' | 'refused' | 'info',
  detail: string,
  runId?: string,
): Promise<void> {
  await deps.audit.append(env, {
    at: deps.now().toISOString(),
    actor,
    action,
    outcome,
    detail,
    ...(runId ? { runId } : {}),
  });
}

/**
 * A refusal. Of someone on the environment's lists, it joins the audit trail like any action;
 * of anyone else, it goes to the refusals kept apart, one entry with a count per person a
 * minute — so a stranger sending commands in a loop can never push the trail's entries out.
 */
export async function auditRefusal(
  deps: Pick<BotServices, 'audit' | 'now' | 'config' | 'groups'>,
  env: EnvName,
  actor: string,
  action: string,
  detail: string,
  runId?: string,
): Promise<void> {
  const policy = deps.config.environments.get(env)?.policy;
  const listed =
    policy !== undefined &&
    (await isListed(
      [...policy.requesters, ...policy.approvers, ...policy.approvalGroups],
      actor,
      deps.groups,
    ).catch(() => false));
  if (listed) return auditCommand(deps, env, actor, action, 'refused', detail, runId);
  await deps.audit.refusals.record(env, {
    at: deps.now().toISOString(),
    actor,
    action,
    detail,
    ...(runId ? { runId } : {}),
  });
}
