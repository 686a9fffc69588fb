import type { RunId } from '../domain/ids.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { RunReport, RunState, SwitchOff } from '../domain/run.ts';
import { type PhaseContext, words as wordsFor } from '../phases/context.ts';
import { runSwitchOff, switchedOff } from '../phases/switch-off.ts';
import { buildReport, failureReason } from './build-report.ts';

interface Settled {
  readonly switchOff?: SwitchOff;
  readonly state?: RunState;
  readonly reason?: string;
  /** The flag could not be verified: where it may be is in the reason. */
  readonly unverified?: true;
}

/**
 * After the phases, the flag is brought to a verified state (docs/architecture.md#the-flag-record). Whether this run may
 * have turned it ON comes from its ledger — the intent recorded before the env file was
 * written — never from how a check ended: a check cut short by a cancel is `skip` although the
 * file was already written.
 * - Cancelled (or its approval voided) after the ON intent: always OFF again — the person
 *   asked the run to stop.
 * - Phase 3 failed: OFF again when `rollbackOnFailure`.
 * - All passed with `afterPass: turn-off`: OFF again.
 * A switch-off that cannot be verified marks the flag unverified: only the kill switch may act.
 * It gets a signal of its own (the run's may be aborted), bounded by its calls' deadlines.
 */
export async function settleFlag(
  ctx: PhaseContext,
  ran: readonly PhaseResult[],
  stopped?: 'cancelled' | 'voided',
): Promise<Settled> {
  const { policy } = ctx.env;
  const phase3 = ran.find((p) => p.phase === 3);
  const interrupted = stopped !== undefined || ctx.signal.aborted;
  const mayBeOn = await ctx.flag.mayBeOn();
  const t = wordsFor(ctx);
  if (mayBeOn && interrupted) {
    return switchOffAgain(ctx, 'rollback', {
      ok: t(stopped === 'voided' ? 'report.reason.voidedOff' : 'report.reason.cancelledOff'),
      state: stopped === 'voided' ? 'failed' : 'cancelled',
    });
  }
  if (mayBeOn && phase3 && phase3.status !== 'pass' && policy.rollbackOnFailure) {
    return switchOffAgain(ctx, 'rollback', {
      ok: `${t('report.reason.rolledBack')} ${failureReason(ran, t) ?? ''}`.trim(),
      state: 'rolled_back',
    });
  }
  const allPassed = ran.length === 4 && ran.every((p) => p.status === 'pass');
  if (allPassed && policy.afterPass === 'turn-off' && !interrupted) {
    const settled = await switchOffAgain(ctx, 'after_pass', {
      ok: t('report.reason.afterPass'),
    });
    return settled;
  }
  return {};
}

async function switchOffAgain(
  ctx: PhaseContext,
  why: SwitchOff['why'],
  words: { ok: string; state?: RunState },
): Promise<Settled> {
  const checks = await runSwitchOff({ ...ctx, signal: new AbortController().signal });
  const ok = switchedOff(checks);
  // Refused its intent: this worker wrote nothing and may no longer hold the run. The run goes
  // back to the queue and whoever takes it switches OFF under a fresh lock; nothing is marked.
  if (!ok && ctx.flag.fenced()) return { switchOff: { why, checks, ok }, state: 'failed' };
  if (ok)
    return {
      switchOff: { why, checks, ok },
      ...(words.state ? { state: words.state } : {}),
      reason: words.ok,
    };
  const reason = wordsFor(ctx)('report.reason.offUnverified', { env: ctx.env.name });
  await ctx.flag.unverified(reason);
  return { switchOff: { why, checks, ok }, state: 'failed', reason, unverified: true };
}

export interface ConcludeInput {
  readonly ctx: PhaseContext;
  readonly runId: RunId;
  readonly startedAt: Date;
  readonly ran: readonly PhaseResult[];
  /** The run stopped before any phase because a person did not confirm (nothing changed). */
  readonly declined?: string;
  /** Why the run was stopped from outside, when it was. */
  readonly stopped?: 'cancelled' | 'voided';
  /** Who stopped it, or why, in words; leads the report's reason. */
  readonly stoppedWhy?: string;
  /**
   * The caller says the verdict with the run's end (the bot: in the same store step as the
   * finish, `finishRun`'s `verdict`), so the observer does not hear `finished`: a worker that
   * dies between the two can neither leave a verdict for a run that never ended nor say it twice.
   */
  readonly verdictWithFinish?: true;
}

/** Settles the flag, builds the report and announces it: the end of every run, terminal or bot. */
export async function concludeRun({
  ctx,
  runId,
  startedAt,
  ran,
  declined,
  stopped,
  stoppedWhy,
  verdictWithFinish,
}: ConcludeInput): Promise<RunReport> {
  const settled = await settleFlag(ctx, ran, stopped);
  const cancelled =
    (ctx.signal.aborted || declined !== undefined || stopped === 'cancelled') && settled.state === undefined;
  const lead = stoppedWhy ?? (cancelled ? wordsFor(ctx)('report.reason.cancelled') : undefined);
  const tail = declined ?? settled.reason ?? (cancelled ? undefined : failureReason(ran, wordsFor(ctx)));
  const reason = [lead, tail].filter(Boolean).join(' ') || undefined;
  const report = buildReport({
    env: ctx.env.name,
    runId,
    startedAt,
    finishedAt: ctx.target.clock.now(),
    ran,
    ...(cancelled
      ? { state: 'cancelled' as const }
      : settled.state
        ? { state: settled.state }
        : stopped === 'voided'
          ? { state: 'failed' as const }
          : {}),
    ...(reason ? { reason } : {}),
    ...(settled.switchOff ? { switchOff: settled.switchOff } : {}),
  });
  if (!ctx.flag.fenced() && !verdictWithFinish) await ctx.observer({ kind: 'finished', report });
  return report;
}
