import type { RunRecord } from '../domain/run.ts';
import { ACTIVE_STATES } from '../domain/run.ts';
import type { SlackRunReporter } from '../slack/reporter.ts';
import { slackDate } from '../slack/views/home.ts';
import type { BotServices, LeaseSettings } from './services.ts';

/**
 * The gate after Phase 2 (DESIGN §3), for environments with `requireApproval`: the run waits
 * in `awaiting_approval`, holding its environment but no worker and no job. The lease is
 * stretched to the approval time, so a run nobody decides on expires (the reaper ends it).
 *
 * Seam for issue 7: the approval request with Approve/Reject buttons, the digest of what was
 * shown, the rules at click time; an accepted decision moves the run to `phase3` and enqueues
 * `{kind: 'run', runId, step: 'phase3'}` — the worker then goes on from Phase 3.
 */
export async function requestApproval(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
  reporter: SlackRunReporter,
): Promise<RunRecord | undefined> {
  const env = s.config.environments.get(run.env);
  if (!env) return undefined;
  const moved = await s.runs.transition(run.id, ACTIVE_STATES, 'awaiting_approval');
  if (!moved.ok) return undefined;
  await s.runs.renewLease(run.env, run.id, env.policy.approvalTtl + lease.workingMs);
  const expires = new Date(s.now().getTime() + env.policy.approvalTtl).toISOString();
  await reporter.reply(
    `:raising_hand: Phases 0–2 passed. Phase 3 turns the flag ON in *${run.env}*: awaiting approval by a second person (until ${slackDate(expires)}).`,
  );
  await reporter.refresh(moved.run);
  await s.audit.append(run.env, {
    at: s.now().toISOString(),
    actor: 'pc-verify',
    action: 'approval.requested',
    runId: run.id,
    outcome: 'info',
    detail: `expires ${expires}`,
  });
  return moved.run;
}
