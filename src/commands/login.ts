import type { RunRecord } from '../domain/run.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { type ClaimKind, claimAndQueue } from './start.ts';

const LOGIN: ClaimKind = {
  action: 'login.start',
  purpose: 'login',
  step: 'login',
  queued: (run: RunRecord) => `sign-in renewal ${run.id} queued`,
  accepted: (run, env, who, t) => {
    const gate = env.policy.loginRequiresApproval
      ? t('commands.login.gateApprover')
      : t('commands.login.gateDm');
    return t('commands.login.accepted', { env: env.name, id: run.id, gate, channel: `<#${who.channelId}>` });
  },
};

/**
 * `/pc-verify login <env>` (docs/architecture.md#the-day-2-watch): Phase 2 alone, for when the token Hunter holds stopped
 * working — a new code in the requester's DM, the new cache installed, the silent check; the
 * flag is not touched. Requesters may; it claims the environment like a run (one at a time),
 * is audited like one, and with `policy.loginRequiresApproval` waits for a second person first.
 */
export function renewLogin(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  return claimAndQueue(deps, who, envName, LOGIN);
}
