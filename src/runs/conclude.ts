import type { RunId } from '../domain/ids.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { RunReport, RunState, SwitchOff } from '../domain/run.ts';
import type { PhaseContext } from '../phases/context.ts';
import { runSwitchOff, switchedOff } from '../phases/switch-off.ts';
import { buildReport, failureReason } from './report.ts';

interface Settled {
  readonly switchOff?: SwitchOff;
  readonly state?: RunState;
  readonly reason?: string;
}

/**
 * After the phases: roll back a failed Phase 3 (`rollbackOnFailure`), or turn the flag OFF
 * again after a pass (`afterPass: turn-off`). A rollback runs even when the run was cancelled
 * mid-Phase 3 — a half-done ON is the one state nobody wants left behind — so it gets its own
 * signal with the deadlines of its own calls.
 */
export async function settleFlag(ctx: PhaseContext, ran: readonly PhaseResult[]): Promise<Settled> {
  const phase3 = ran.find((p) => p.phase === 3);
  const { policy } = ctx.env;
  if (phase3 && phase3.status !== 'pass' && policy.rollbackOnFailure && flagMayBeOn(phase3)) {
    const checks = await runSwitchOff({ ...ctx, signal: new AbortController().signal });
    const ok = switchedOff(checks);
    return {
      switchOff: { why: 'rollback', checks, ok },
      state: ok ? 'rolled_back' : 'failed',
      reason: ok
        ? `Phase 3 failed, so the flag was turned OFF again and verified (rollbackOnFailure). ${failureReason(ran) ?? ''}`.trim()
        : 'Phase 3 failed and the ROLLBACK FAILED: the flag may still be ON. Turn it OFF by hand now.',
    };
  }
  const allPassed = ran.length === 4 && ran.every((p) => p.status === 'pass');
  if (allPassed && policy.afterPass === 'turn-off' && !ctx.signal.aborted) {
    const checks = await runSwitchOff(ctx);
    const ok = switchedOff(checks);
    return {
      switchOff: { why: 'after_pass', checks, ok },
      ...(ok
        ? { reason: 'All phases passed; the flag was turned OFF again as configured (afterPass: turn-off).' }
        : {
            state: 'failed' as const,
            reason:
              'All phases passed, but turning the flag OFF again (afterPass: turn-off) failed: it may still be ON.',
          }),
    };
  }
  return {};
}

/** Phase 3 touched the flag unless it stopped before `flag.on` ran. */
function flagMayBeOn(phase3: PhaseResult): boolean {
  const flagOn = phase3.checks.find((c) => c.id === 'flag.on');
  return flagOn !== undefined && flagOn.status !== 'skip';
}

export interface ConcludeInput {
  readonly ctx: PhaseContext;
  readonly runId: RunId;
  readonly startedAt: Date;
  readonly ran: readonly PhaseResult[];
  /** The run stopped before any phase because a person did not confirm (nothing changed). */
  readonly declined?: string;
}

/** Settles the flag, builds the report and announces it: the end of every run, terminal or bot. */
export async function concludeRun({
  ctx,
  runId,
  startedAt,
  ran,
  declined,
}: ConcludeInput): Promise<RunReport> {
  const settled = await settleFlag(ctx, ran);
  const cancelled = (ctx.signal.aborted || declined !== undefined) && settled.state === undefined;
  const reason = declined ?? (cancelled ? 'The run was cancelled.' : (settled.reason ?? failureReason(ran)));
  const report = buildReport({
    env: ctx.env.name,
    runId,
    startedAt,
    finishedAt: ctx.target.clock.now(),
    ran,
    ...(cancelled ? { state: 'cancelled' as const } : settled.state ? { state: settled.state } : {}),
    ...(reason ? { reason } : {}),
    ...(settled.switchOff ? { switchOff: settled.switchOff } : {}),
  });
  await ctx.observer({ kind: 'finished', report });
  return report;
}
