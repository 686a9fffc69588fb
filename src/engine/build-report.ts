import type { EnvName, RunId } from '../domain/ids.ts';
import { PHASE_NUMBERS, PHASE_TITLES, type PhaseNumber, type PhaseResult } from '../domain/phase.ts';
import type { RunReport, RunState, SwitchOff } from '../domain/run.ts';
import { defuse, type Translate, translator } from '../i18n/index.ts';

export interface ReportInput {
  readonly env: EnvName;
  readonly runId: RunId;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The phases that ran, in order; the others are reported as not run. */
  readonly ran: readonly PhaseResult[];
  /** Overrides the state derived from the phases (cancelled, expired, rolled_back). */
  readonly state?: RunState;
  readonly reason?: string;
  readonly switchOff?: SwitchOff;
}

/**
 * The verdict of the results template: PASS when every phase that was asked for passed;
 * "can be turned ON" only when all four passed in this run.
 */
export function buildReport(input: ReportInput): RunReport {
  const phases = PHASE_NUMBERS.map((n) => input.ran.find((p) => p.phase === n) ?? notRun(n));
  const ranAll = input.ran.length > 0 && input.ran.every((p) => p.status === 'pass');
  const state = input.state ?? (ranAll ? 'passed' : 'failed');
  const verdict = state === 'passed' && ranAll ? 'PASS' : 'FAIL';
  const canTurnOn = verdict === 'PASS' && phases.every((p) => p.status === 'pass');
  return {
    env: input.env,
    runId: input.runId,
    verdict,
    canTurnOn,
    state,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(input.switchOff === undefined ? {} : { switchOff: input.switchOff }),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    phases,
  };
}

function notRun(phase: PhaseNumber): PhaseResult {
  return { phase, title: PHASE_TITLES[phase], status: 'not_run', checks: [] };
}

/**
 * The first failing check, in words: why the run failed, and what to do — its hint. The reason is
 * shown where the bot speaks in its own words (the root message's footer, history), so it never
 * quotes what the check saw: that is outside text (a worker's log line, an exception), shown in
 * the thread's details as code. A failed check without a hint (none is made so) names its title.
 */
export function failureReason(
  phases: readonly PhaseResult[],
  t: Translate = translator('en'),
): string | undefined {
  for (const phase of phases) {
    const failed = phase.checks.find((c) => c.status === 'fail');
    if (failed)
      return t('report.reason.failedCheck', {
        phase: phase.phase,
        id: failed.id,
        // A hint may quote the operator's commands: it must not read as a coded message of ours.
        why: defuse(failed.hint ?? failed.title),
      });
  }
  return undefined;
}
