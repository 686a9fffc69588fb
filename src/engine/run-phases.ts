import type { RunId } from '../domain/ids.ts';
import type { PhaseNumber, PhaseResult } from '../domain/phase.ts';
import type { RunReport } from '../domain/run.ts';
import { needsOutageConfirmation, OUTAGE_NOT_CONFIRMED } from '../gates/outage-guard.ts';
import type { PhaseContext } from '../phases/context.ts';
import { runPhase0 } from '../phases/phase0.ts';
import { runPhase1 } from '../phases/phase1.ts';
import { runPhase3 } from '../phases/phase3.ts';
import { concludeRun } from './conclude-run.ts';

export type PhaseRunner = (ctx: PhaseContext) => Promise<PhaseResult>;

export interface EngineOptions {
  readonly ctx: PhaseContext;
  readonly runId: RunId;
  /** Which phases to run, in runbook order. Default: all four. */
  readonly phases?: readonly PhaseNumber[];
  /** Phase 2 needs a person (device-code login); the caller decides where the code goes. */
  readonly phase2: PhaseRunner;
  /**
   * Asked before anything changes when Phase 1 would turn OFF a flag that is ON in prod.
   * Absent: never confirmed (a run that cannot ask a person must not cause an outage).
   */
  readonly confirmFlagOff?: () => Promise<boolean>;
}

/**
 * Runs the phases in order and stops at the first that fails — the runbook says fix it
 * first, do not go on. The report shows the phases after it as not run.
 */
export async function runPhases(
  ctx: PhaseContext,
  phases: readonly PhaseNumber[],
  phase2: PhaseRunner,
): Promise<PhaseResult[]> {
  const runners: Record<PhaseNumber, PhaseRunner> = { 0: runPhase0, 1: runPhase1, 2: phase2, 3: runPhase3 };
  const results: PhaseResult[] = [];
  for (const phase of [...phases].sort()) {
    if (ctx.signal.aborted) break;
    const result = await runners[phase](ctx);
    results.push(result);
    if (result.status !== 'pass') break;
  }
  return results;
}

export async function runVerification(options: EngineOptions): Promise<RunReport> {
  const { ctx } = options;
  const startedAt = ctx.target.clock.now();
  const phases = options.phases ?? [0, 1, 2, 3];
  if ((await needsOutageConfirmation(ctx, phases)) && !(await options.confirmFlagOff?.())) {
    return concludeRun({ ctx, runId: options.runId, startedAt, ran: [], declined: OUTAGE_NOT_CONFIRMED });
  }
  const ran = await runPhases(ctx, phases, options.phase2);
  return concludeRun({ ctx, runId: options.runId, startedAt, ran });
}
