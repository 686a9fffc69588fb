import { RunIdSchema } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import { mayApprove } from '../gates/permissions.ts';
import { coded, type Message, message, translator } from '../i18n/index.ts';
import { type StepNotices, stepNotices } from '../outbox/step-notices.ts';
import { countApproval } from './approval-count.ts';
import { auditCommand, auditRefusal } from './audit-command.ts';
import { endedReport, finishRun } from './finish-run.ts';
import type { ButtonAnswer, LifecycleDeps } from './lifecycle-deps.ts';
import { windowAtDecision } from './window-wait.ts';

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
 * known run waiting for approval, not expired, not the requester, a listed approver; then an
 * Approve is counted (approval-count.ts: the decision when `policy.approvals` are reached) and
 * the first Reject ends the run, each through one atomic state change. Every click is audited.
 */
export async function decideApproval(deps: LifecycleDeps, click: ApprovalClick): Promise<ButtonAnswer> {
  const checked = await checkClick(deps, click);
  if (!checked.ok) return checked.answer;
  const { run } = checked;
  if (click.decision === 'approved') return countApproval(deps, { run, userId: click.userId });
  const reason = rejectionReason(run, click);
  const notices = decisionNotices(deps, click);
  const decision = { decision: click.decision, by: click.userId as never, at: deps.now().toISOString() };
  const moved = await deps.runs.decide(
    run.id,
    'cancelled',
    () => ({ decision, ...(reason ? { reason } : {}) }),
    notices.appends,
  );
  if (!moved.ok)
    return refuse(deps, run, click, message('clicks.decidedFirst', { state: moved.state ?? 'gone' }));
  await notices.told(moved.run);
  await audit(
    deps,
    run,
    click,
    'accepted',
    `${click.decision} (evidence ${run.approval?.digest.slice(0, 12) ?? 'n/a'})${click.reason ? `; reason: ${click.reason}` : ''}`,
  );
  await finishRun(deps, run.id, endedReport(deps, moved.run, 'cancelled', reason ?? 'rejected'));
  return { accepted: true };
}

type CheckedClick = { ok: true; run: RunRecord } | { ok: false; answer: ButtonAnswer };

/** Every rule a click must pass before it may change the run; a refusal is audited. */
async function checkClick(deps: LifecycleDeps, click: ApprovalClick): Promise<CheckedClick> {
  const no = async (run: RunRecord | undefined, why: Message): Promise<CheckedClick> => ({
    ok: false,
    answer: await refuse(deps, run, click, why),
  });
  const id = RunIdSchema.safeParse(click.value);
  if (!id.success) return no(undefined, message('clicks.noRun'));
  const run = await deps.runs.get(id.data);
  if (!run) return no(undefined, message('clicks.unknownRun'));
  const env = deps.config.environments.get(run.env);
  if (run.state !== 'awaiting_approval' || !env) {
    return no(run, message('clicks.notAwaitingApproval', { state: run.state }));
  }
  // docs/architecture.md#security-rules: a click counts only from the message that holds its button.
  if (
    !run.approval?.messageTs ||
    click.messageTs !== run.approval.messageTs ||
    click.channel !== run.slack?.channel
  ) {
    return no(run, message('clicks.notTheRequest'));
  }
  if (run.approval && deps.now().getTime() > Date.parse(run.approval.expiresAt)) {
    return no(run, message('clicks.expired'));
  }
  const permission = await mayApprove(deps.groups, env, run, click.userId);
  if (!permission.ok) return no(run, permission.why);
  return { ok: true, run };
}

/**
 * A rejected run's reason, in plain words: the record holds data, not chat markup (who
 * rejected is the user id; the chat adapter's decision notice is where the mention is written).
 */
/** Kept coded in the run record, worded where it is shown (the typed reason escaped there). */
function rejectionReason(run: RunRecord, click: ApprovalClick): string | undefined {
  if (click.decision !== 'rejected') return undefined;
  const login = run.purpose === 'login';
  const who = click.userId;
  if (click.reason)
    return coded(
      message(login ? 'thread.note.loginRejectedWhy' : 'thread.note.runRejectedWhy', {
        who,
        reason: click.reason,
      }),
    );
  return coded(message(login ? 'thread.note.loginRejected' : 'thread.note.runRejected', { who }));
}

/**
 * The chat adapter updates the request and says the decision (and its reason) in the thread,
 * heard in the decision's own step: the first valid click wins and is always announced.
 */
function decisionNotices(deps: LifecycleDeps, click: ApprovalClick): StepNotices {
  return stepNotices(deps.notifier, (decided: RunRecord) => [
    {
      kind: 'approval_decided',
      env: decided.env,
      decision: click.decision,
      by: click.userId,
      ...(decided.purpose === 'login' ? { purpose: 'login' as const } : {}),
      ...(click.reason ? { reason: click.reason } : {}),
      ...windowAtDecision(deps, decided, click.decision),
    },
  ]);
}

async function refuse(
  deps: LifecycleDeps,
  run: RunRecord | undefined,
  click: ApprovalClick,
  why: Message,
): Promise<ButtonAnswer> {
  // The audit trail in English; the clicker reads it in the deployment's language.
  if (run) await auditRefusal(deps, run.env, click.userId, actionOf(click), translator('en')(why), run.id);
  else deps.log.warn({ user: click.userId, decision: click.decision }, 'approval click for no known run');
  return { accepted: false, why: translator(deps.config.language ?? 'en')(why) };
}

async function audit(
  deps: LifecycleDeps,
  run: RunRecord,
  click: ApprovalClick,
  outcome: 'accepted' | 'refused',
  detail: string,
): Promise<void> {
  await auditCommand(deps, run.env, click.userId, actionOf(click), outcome, detail, run.id);
}

function actionOf(click: ApprovalClick): string {
  return `approval.${click.decision === 'approved' ? 'approve' : 'reject'}`;
}
