import type { RunId } from '../domain/ids.ts';
import type { Approval, RunRecord, RunState } from '../domain/run.ts';
import { RUN_TRANSITIONS } from '../domain/run-transitions.ts';
import { APPROVE_RUN } from './approval-scripts.ts';
import { FlagWordReply, replyOf } from './codec.ts';
import {
  type Change,
  CONFLICT,
  docOf,
  list,
  outboxArgs,
  type RunContext,
  retryOnConflict,
  type StepAppends,
  storedApproval,
  written,
} from './run-record.ts';

export type ApproveResult =
  | { ok: true; run: RunRecord; complete: boolean }
  | { ok: false; reason: 'not_found' | 'wrong_state' | 'counted' | 'expired'; state?: RunState };

/** What one Approve needs from its caller, computed from the record read just before the script. */
export interface ApproveStep {
  readonly approval: Approval;
  /** Whether these approvals (this one included) are enough: then the run moves to Phase 3. */
  readonly completes: (approvals: readonly Approval[]) => boolean;
  /** The record's change when it completes (the decision, the reason). */
  readonly decide: Change;
  /** The notices of this step, from the record as written (in `phase3` when it completed). */
  readonly appends?: StepAppends;
}

/**
 * One Approve as one store step (see APPROVE_RUN): the approver joins the run's approval set
 * once, and the approval that completes the count makes the `decide` transition with it.
 */
export function approveRun(ctx: RunContext, id: RunId, step: ApproveStep): Promise<ApproveResult> {
  const rule = RUN_TRANSITIONS.decide;
  return retryOnConflict(id, async () => {
    const current = await ctx.get(id);
    if (!current) return { ok: false, reason: 'not_found' } as const;
    if (!(rule.from as readonly RunState[]).includes(current.state))
      return { ok: false, reason: 'wrong_state', state: current.state } as const;
    if (current.approvals?.some((a) => a.by === step.approval.by))
      return { ok: false, reason: 'counted', state: current.state } as const;
    // Checked again here, against the version the script checks: the click's own check came
    // before the directory look-ups, which can take seconds.
    if (current.approval && ctx.now().getTime() >= Date.parse(current.approval.expiresAt))
      return { ok: false, reason: 'expired', state: current.state } as const;
    const approvals = [...(current.approvals ?? []), step.approval];
    const complete = step.completes(approvals);
    const next = {
      ...(complete
        ? written(current, 'phase3', step.decide(current), ctx.now())
        : { ...current, updatedAt: ctx.now().toISOString() }),
      approvals,
    };
    const outbox = outboxArgs(ctx.keys, step.appends?.(next) ?? []);
    const reply = replyOf(
      FlagWordReply,
      await ctx.redis.eval(
        APPROVE_RUN,
        2 + outbox.keys.length,
        ctx.keys.run(id),
        ctx.keys.outboxThreads,
        ...outbox.keys,
        step.approval.by,
        storedApproval(step.approval),
        String(current.version),
        list(rule.from),
        'phase3',
        list(rule.to),
        complete ? '1' : '',
        JSON.stringify(docOf(next)),
        next.reason ?? '',
        ctx.now().toISOString(),
        ...outbox.args,
      ),
      'approveRun',
    );
    if (reply[0] === 1) return { ok: true, run: { ...next, version: Number(reply[1]) }, complete };
    if (reply[1] === 'conflict') return CONFLICT;
    if (reply[1] === 'counted') return { ok: false, reason: 'counted', state: reply[2] as RunState };
    if (reply[1] === 'not_found') return { ok: false, reason: 'not_found' };
    return { ok: false, reason: 'wrong_state', state: reply[2] as RunState };
  });
}
