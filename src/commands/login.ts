import type { EnvironmentConfig } from '../config/config.ts';
import { selectEnvironment } from '../config/select.ts';
import type { RunRecord } from '../domain/run.ts';
import { auditCommand } from '../runs/audit-trail.ts';
import { mayOperate } from '../runs/permissions.ts';
import type { ClaimResult } from '../store/run-store.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import {
  alreadyGoing,
  endStaleRun,
  postRootAndEnqueue,
  refuseUnverified,
  withdrawWhenBack,
} from './start.ts';

/**
 * `/pc-verify login <env>` (DESIGN §10): Phase 2 alone, for when the token Hunter holds stopped
 * working — a new code in the requester's DM, the new cache installed, the silent check; the
 * flag is not touched. Requesters may; it claims the environment like a run (one at a time),
 * is audited like one, and with `policy.loginRequiresApproval` waits for a second person first.
 */
export async function renewLogin(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok)
    return { text: `${found.message} Type \`/pc-verify help\` for the commands.`, outcome: 'refused' };
  const env = found.env;
  const permission = await mayOperate(deps.groups, env, who, 'start');
  if (!permission.ok) {
    await auditCommand(deps, env.name, who.userId, 'login.start', 'refused', permission.why);
    return { text: permission.why, outcome: 'refused' };
  }
  const run = newLoginRun(deps, env, who);
  let claim: ClaimResult;
  try {
    claim = await deps.runs.claimEnvironment(run, deps.lease.queuedMs);
    if (claim.ok)
      await auditCommand(
        deps,
        env.name,
        who.userId,
        'login.start',
        'accepted',
        `sign-in renewal ${run.id} queued`,
        run.id,
      );
  } catch (error) {
    withdrawWhenBack(deps, run, who);
    throw error;
  }
  if (!claim.ok) {
    if ('unverified' in claim) return refuseUnverified(deps, env, who);
    return alreadyGoing(deps, env, who, claim.holder);
  }
  const gate = env.policy.loginRequiresApproval
    ? ' An approver (not you) decides first; then the code comes to you in a DM.'
    : ' The sign-in code comes to you in a DM.';
  return {
    text: `Renewing the sign-in for *${env.name}* (\`${run.id}\`): Phase 2 alone, the flag is not touched.${gate} Every step is in the thread in <#${who.channelId}>.`,
    outcome: 'accepted',
    after: async () => {
      if (claim.staleRunFailed) await endStaleRun(deps, claim.staleRunFailed);
      await postRootAndEnqueue(deps, run, who, 'login');
    },
  };
}

function newLoginRun(deps: CommandDeps, env: EnvironmentConfig, who: Invocation): RunRecord {
  const now = deps.now().toISOString();
  return {
    id: deps.newRunId(),
    env: env.name,
    state: 'queued',
    version: 1,
    requester: { kind: 'slack', userId: who.userId },
    slack: { channel: who.channelId },
    createdAt: now,
    updatedAt: now,
    phases: [],
    purpose: 'login',
  };
}
