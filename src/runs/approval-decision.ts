import { auditCommand } from '../commands/audit-trail.ts';
import { isListed } from '../commands/authz.ts';
import type { CommandDeps } from '../commands/context.ts';
import { RunIdSchema } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import type { ButtonAnswer } from '../slack/buttons.ts';
import { approvalDecided, decisionReply } from '../slack/views/approval.ts';
import { endedReport, finishRun, reporterOf } from './finish.ts';

export type Decision = 'approved' | 'rejected';

/** One click on Approve or Reject, as Slack reported it (the value is untrusted input). */
export interface ApprovalClick {
  readonly value: string;
  readonly userId: string;
  readonly decision: Decision;
  readonly channel: string;
  readonly messageTs?: string;
  /** Why, as the person typed it (Reject's modal); kept in the audit trail and the run's reason. */
  readonly reason?: string;
}

/**
 * The rules of the gate, checked on the server at click time (never by hiding buttons): a
 * known run waiting for approval, not expired, not the requester, a listed approver; then the
 * first valid decision wins through one atomic state change. Every click is audited.
 */
export async function decideApproval(deps: CommandDeps, click: ApprovalClick): Promise<ButtonAnswer> {
  const id = RunIdSchema.safeParse(click.value);
  if (!id.success)
    return refuse(deps, undefined, click, 'This button does not name a run (tampered or outdated).');
  const run = await deps.runs.get(id.data);
  if (!run) return refuse(deps, undefined, click, 'This run is unknown to pc-verify.');
  const env = deps.config.environments.get(run.env);
  if (run.state !== 'awaiting_approval' || !env) {
    return refuse(deps, run, click, `This run is no longer waiting for approval (it is ${run.state}).`);
  }
  // DESIGN §7: a click counts only from the message that holds its button.
  if (
    !run.approval?.messageTs ||
    click.messageTs !== run.approval.messageTs ||
    click.channel !== run.slack?.channel
  ) {
    return refuse(
      deps,
      run,
      click,
      'This click did not come from the approval request of this run; nothing changed.',
    );
  }
  if (run.approval && deps.now().getTime() > Date.parse(run.approval.expiresAt)) {
    return refuse(deps, run, click, 'This approval request has expired; start a new run.');
  }
  if (run.requester.kind === 'slack' && run.requester.userId === click.userId) {
    return refuse(
      deps,
      run,
      click,
      'You requested this run, so you cannot approve it: a second person must decide.',
    );
  }
  if (!(await isListed(env.policy.approvers, click.userId, deps.groups).catch(() => false))) {
    return refuse(deps, run, click, `Only the approvers of *${run.env}* may decide on Phase 3.`);
  }
  const decision = { decision: click.decision, by: click.userId as never, at: deps.now().toISOString() };
  const to = click.decision === 'approved' ? 'phase3' : 'cancelled';
  const typed = click.decision === 'rejected' && click.reason ? ` Reason: ${click.reason}` : '';
  const reason =
    click.decision === 'rejected' ? `Phase 3 was rejected by <@${click.userId}>.${typed}` : undefined;
  const moved = await deps.runs.transition(run.id, ['awaiting_approval'], to, () => ({
    decision,
    ...(reason ? { reason } : {}),
  }));
  if (!moved.ok)
    return refuse(deps, run, click, `Someone decided first: the run is ${moved.state ?? 'gone'}.`);
  await audit(
    deps,
    run,
    click,
    'accepted',
    `${click.decision} (evidence ${run.approval?.digest.slice(0, 12) ?? 'n/a'})${click.reason ? `; reason: ${click.reason}` : ''}`,
  );
  await announce(deps, moved.run, click);
  if (click.decision === 'approved') await deps.enqueue({ kind: 'run', runId: run.id, step: 'phase3' });
  else await finishRun(deps, run.id, endedReport(deps, moved.run, 'cancelled', reason ?? 'rejected'));
  return { accepted: true };
}

async function announce(deps: CommandDeps, run: RunRecord, click: ApprovalClick): Promise<void> {
  const messageTs = run.approval?.messageTs;
  const channel = run.slack?.channel;
  if (messageTs && channel) {
    const { text, blocks } = approvalDecided(run.env, click.decision, click.userId, click.reason);
    await deps.chat.update(channel, messageTs, text, blocks).catch(() => undefined);
  }
  await reporterOf(deps, run)?.reply(decisionReply(click.decision, click.userId, click.reason));
}

async function refuse(
  deps: CommandDeps,
  run: RunRecord | undefined,
  click: ApprovalClick,
  why: string,
): Promise<ButtonAnswer> {
  if (run) await audit(deps, run, click, 'refused', why);
  else deps.log.warn({ user: click.userId, decision: click.decision }, 'approval click for no known run');
  return { accepted: false, why };
}

async function audit(
  deps: CommandDeps,
  run: RunRecord,
  click: ApprovalClick,
  outcome: 'accepted' | 'refused',
  detail: string,
): Promise<void> {
  const action = `approval.${click.decision === 'approved' ? 'approve' : 'reject'}`;
  await auditCommand(deps, run.env, click.userId, action, outcome, detail, run.id);
}
