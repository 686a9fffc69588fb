import type { RunRecord } from '../domain/run.ts';
import { ACTIVE_STATES } from '../domain/run.ts';
import type { SlackRunReporter } from '../slack/reporter.ts';
import { approvalRequest } from '../slack/views/approval.ts';
import { slackDate } from '../slack/views/home.ts';
import { approverMentions, evidenceDigest } from './approval.ts';
import type { BotServices, LeaseSettings } from './services.ts';

/**
 * `policy.loginRequiresApproval`: before anyone signs in for the environment, an approver who
 * is not the requester decides, with the same buttons and rules as Phase 3's gate (listed
 * approver, never the requester, first decision wins, expires after `approvalTtl`, void when
 * the config or env file changed). The run holds the environment but no worker meanwhile.
 */
export async function requestLoginApproval(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
  reporter: SlackRunReporter,
): Promise<void> {
  const env = s.config.environments.get(run.env);
  if (!env) return;
  const moved = await s.runs.transition(run.id, ACTIVE_STATES, 'awaiting_approval');
  if (!moved.ok) return;
  await s.runs.renewLease(run.env, run.id, env.policy.approvalTtl + lease.workingMs);
  const expires = new Date(s.now().getTime() + env.policy.approvalTtl).toISOString();
  await reporter.reply(
    `:raising_hand: A new sign-in for *${run.env}* needs a second person first (\`loginRequiresApproval\`), until ${slackDate(expires)}.`,
  );
  const request = approvalRequest(moved.run, await approverMentions(s, env.policy.approvers), expires);
  const messageTs = await s.chat
    .post(reporter.place.channel, request.text, request.blocks, reporter.place.rootTs)
    .catch((error: unknown) => {
      s.log.warn({ runId: run.id, err: error }, 'login approval request could not be posted');
      return undefined;
    });
  const approval = {
    requestedAt: s.now().toISOString(),
    expiresAt: expires,
    digest: await evidenceDigest(moved.run, env),
    ...(messageTs ? { messageTs } : {}),
  };
  await s.runs.patch(run.id, ['awaiting_approval'], () => ({ approval }));
  await reporter.refresh(moved.run);
  await s.audit.append(run.env, {
    at: s.now().toISOString(),
    actor: 'pc-verify',
    action: 'approval.requested',
    runId: run.id,
    outcome: 'info',
    detail: `sign-in renewal; expires ${expires}`,
  });
}
