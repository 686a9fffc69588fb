import type { EnvironmentConfig } from '../config/config.ts';
import { tally } from '../domain/approvals.ts';
import type { SlackUserId } from '../domain/ids.ts';
import type { Approval, RunRecord } from '../domain/run.ts';
import { windowNote } from '../gates/change-window.ts';
import { DirectoryLookupFailed } from '../gates/directory.ts';
import { approvalGroupsOf, approvalRule, approverPrincipals } from '../gates/permissions.ts';
import { translator } from '../i18n/index.ts';
import type { RunNotice } from '../outbox/run-notices.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import { auditCommand, auditRefusal } from './audit-command.ts';
import type { ButtonAnswer, LifecycleDeps } from './lifecycle-deps.ts';
import { windowAtDecision } from './window-wait.ts';

/** An Approve that passed the click's rules (the run awaits approval, not expired, a listed approver, not the requester). */
export interface ValidApprove {
  readonly run: RunRecord;
  readonly userId: string;
}

/**
 * One Approve counted (docs/architecture.md#the-runs-state-machine): the approver joins the run's
 * approval set in one store step, once per person however many clicks arrive in however many
 * processes; the approval that completes `policy.approvals` (one from each approval group) moves
 * the run to Phase 3 in the same step. Every approval is audited with its count, and the
 * decision once more when it is made.
 */
/** What the chat hears in the step: the request drawn again, or the decision when the count is reached. */
function approveNotices(deps: LifecycleDeps, env: EnvironmentConfig, userId: string, expiresAt: string) {
  const rule = approvalRule(env);
  const approvers = approverPrincipals(env);
  return stepNotices(deps.notifier, (next: RunRecord): RunNotice[] =>
    next.state === 'phase3'
      ? [
          {
            kind: 'approval_decided',
            env: next.env,
            decision: 'approved',
            by: userId,
            ...(rule.approvals > 1 ? { approvedBy: (next.approvals ?? []).map((a) => a.by) } : {}),
            ...(next.purpose === 'login' ? { purpose: 'login' as const } : {}),
            ...windowAtDecision(deps, next, 'approved'),
          },
        ]
      : [{ kind: 'approval_given', run: next, approvers, expiresAt, rule, ...windowOf(deps, env, next) }],
  );
}

/** The request drawn again keeps its change-window line (docs/architecture.md#change-windows). */
function windowOf(deps: LifecycleDeps, env: EnvironmentConfig, run: RunRecord) {
  const window = run.purpose === 'login' ? undefined : windowNote(env.policy, deps.now());
  return window ? { window } : {};
}

export async function countApproval(deps: LifecycleDeps, click: ValidApprove): Promise<ButtonAnswer> {
  const { run, userId } = click;
  const env = deps.config.environments.get(run.env);
  const t = translator(deps.config.language ?? 'en');
  if (!env) return { accepted: false, why: t('clicks.envGone', { env: run.env }) };
  const rule = approvalRule(env);
  let groups: string[];
  try {
    groups = await approvalGroupsOf(deps.groups, env, userId);
  } catch (error) {
    if (!(error instanceof DirectoryLookupFailed)) throw error;
    return refuse(deps, run, userId, t('approval.groupLookup', { why: error.message }));
  }
  const at = deps.now().toISOString();
  const approval: Approval = { by: userId as SlackUserId, at, groups };
  const notices = approveNotices(deps, env, userId, run.approval?.expiresAt ?? at);
  const moved = await deps.runs.approve(run.id, {
    approval,
    completes: (approvals) => tally(approvals, rule).complete,
    decide: () => ({ decision: { decision: 'approved', by: userId as SlackUserId, at } }),
    ...(notices.appends ? { appends: notices.appends } : {}),
  });
  if (!moved.ok) {
    if (moved.reason === 'expired') return refuse(deps, run, userId, t('clicks.expired'));
    if (moved.reason !== 'counted')
      return refuse(deps, run, userId, t('clicks.decidedFirst', { state: moved.state ?? 'gone' }));
    const current = await deps.runs.get(run.id);
    const needed = tally(current?.approvals ?? [], rule).needed;
    return refuse(deps, run, userId, t('approval.counted', { count: needed }));
  }
  await notices.told(moved.run);
  await audited(deps, run, userId, groups, moved.run, moved.complete);
  if (!moved.complete) return { accepted: true };
  // A sign-in's first job (the one that asked for approval) keeps its id: the approved one needs its own.
  const next =
    run.purpose === 'login' ? ({ step: 'login', nonce: 'approved' } as const) : ({ step: 'phase3' } as const);
  await deps.enqueue({ kind: 'run', runId: run.id, ...next });
  return { accepted: true };
}

/** Every approval in the audit trail with its count and groups; the decision once more when made. */
async function audited(
  deps: LifecycleDeps,
  run: RunRecord,
  userId: string,
  groups: readonly string[],
  after: RunRecord,
  complete: boolean,
): Promise<void> {
  const env = deps.config.environments.get(run.env);
  const counted = tally(after.approvals ?? [], env ? approvalRule(env) : { approvals: 1, groups: [] });
  const evidence = `evidence ${run.approval?.digest.slice(0, 12) ?? 'n/a'}`;
  const groupsSaid = groups.length > 0 ? `; in ${groups.join(', ')}` : '';
  const given = `${counted.count}/${counted.required}${groupsSaid} (${evidence})`;
  await auditCommand(deps, run.env, userId, 'approval.given', 'accepted', given, run.id);
  if (!complete) return;
  const by = (after.approvals ?? []).map((a) => a.by).join(', ');
  await auditCommand(
    deps,
    run.env,
    userId,
    'approval.approve',
    'accepted',
    `approved by ${by} (${evidence})`,
    run.id,
  );
}

async function refuse(
  deps: LifecycleDeps,
  run: RunRecord,
  userId: string,
  why: string,
): Promise<ButtonAnswer> {
  await auditRefusal(deps, run.env, userId, 'approval.approve', why, run.id);
  return { accepted: false, why };
}
