import type { CheckResult } from './check.ts';

export const PHASE_NUMBERS = [0, 1, 2, 3] as const;
export type PhaseNumber = (typeof PHASE_NUMBERS)[number];

export const PHASE_TITLES: Readonly<Record<PhaseNumber, string>> = {
  0: 'Environment and Migration',
  1: 'Feature Flag OFF Verification',
  2: 'Activation (First Auth + Token Cache)',
  3: 'Feature Flag ON Verification',
};

/**
 * Where a check runs: one of the runbook's phases, or `off` — turning the flag OFF again and
 * verifying it (rollback after a failed Phase 3, `afterPass: turn-off`, the kill switch).
 */
export type Stage = PhaseNumber | 'off';

export const STAGE_TITLES: Readonly<Record<Stage, string>> = {
  ...PHASE_TITLES,
  off: 'Flag OFF and verified',
};

/** `not_run`: an earlier phase failed or the run stopped before this phase. */
export type PhaseStatus = 'pass' | 'fail' | 'not_run';

export interface PhaseResult {
  readonly phase: PhaseNumber;
  readonly title: string;
  readonly status: PhaseStatus;
  readonly checks: readonly CheckResult[];
}

/** A phase passes when it ran and none of its checks failed or was skipped. */
export function phaseStatusOf(checks: readonly CheckResult[]): PhaseStatus {
  if (checks.length === 0) return 'not_run';
  return checks.every((c) => c.status === 'pass' || c.status === 'warn') ? 'pass' : 'fail';
}
