import type { CheckResult } from './check.ts';
import type { EnvName, RunId, SlackUserId } from './ids.ts';
import type { PhaseResult } from './phase.ts';

/**
 * A run's states: queued → phase0 → phase1 → phase2 (awaiting_login) → [awaiting_approval] →
 * [awaiting_window] → phase3 → passed, the prod outage question (awaiting_confirmation), `cancelling` while a
 * cancelled run's flag is being verified OFF, and the terminal states failed, cancelled,
 * expired, rolled_back. Which state may follow which is the table in run-transitions.ts.
 */
export const ACTIVE_STATES = [
  'queued',
  'awaiting_confirmation',
  'phase0',
  'phase1',
  'phase2',
  'awaiting_login',
  'awaiting_approval',
  /** Approved (or Phases 0–2 passed) outside the change window or in a freeze: Phase 3 starts when it opens. */
  'awaiting_window',
  'phase3',
  /** Cancelled while it may have switched the flag: still holds the environment until the flag is verified OFF. */
  'cancelling',
] as const;
export const TERMINAL_STATES = ['passed', 'failed', 'cancelled', 'expired', 'rolled_back'] as const;
export type ActiveRunState = (typeof ACTIVE_STATES)[number];
export type TerminalRunState = (typeof TERMINAL_STATES)[number];
export type RunState = ActiveRunState | TerminalRunState;

export function isTerminal(state: RunState): state is TerminalRunState {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

/** Who asked for the run: a Slack user, or a person at a terminal. */
export type Requester =
  | { readonly kind: 'slack'; readonly userId: SlackUserId }
  | { readonly kind: 'cli'; readonly user: string };

/** PASS/FAIL of the whole run, as the results template says it. */
export type Verdict = 'PASS' | 'FAIL';

export interface RunReport {
  readonly env: EnvName;
  readonly runId: RunId;
  readonly verdict: Verdict;
  /** "Can be turned ON": every phase passed. */
  readonly canTurnOn: boolean;
  readonly state: RunState;
  /** Why the run ended the way it did, in one sentence (failure reason, rollback, afterPass). */
  readonly reason?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly phases: readonly PhaseResult[];
  /** The flag turned OFF again after the phases: a rollback, or `afterPass: turn-off`. */
  readonly switchOff?: SwitchOff;
  /** `login`: a sign-in renewal (Phase 2 alone, the flag untouched), not a verification. */
  readonly purpose?: RunPurpose;
}

/** A run verifies (Phases 0–3, the default) or only renews the sign-in (`/pc-verify login`). */
export type RunPurpose = 'login';

export interface SwitchOff {
  readonly why: 'rollback' | 'after_pass';
  readonly checks: readonly CheckResult[];
  /** Both checks passed: the flag is known to be OFF. */
  readonly ok: boolean;
}

/** Where a run reports in Slack: the root message and the thread under it. */
export interface SlackPlace {
  readonly channel: string;
  readonly rootTs?: string;
  /** Slack refused the root message for good (`not_in_channel`, `channel_not_found`): nobody can follow the run there. */
  readonly rootRefused?: string;
}

export interface ApprovalRequest {
  readonly requestedAt: string;
  readonly expiresAt: string;
  /** Digest of the Phase 0–2 results, the environment's config and the env file that were shown. */
  readonly digest: string;
  readonly messageTs?: string;
}

/** The change ticket the run was started with, and its link (`policy.ticket.url`) when one is configured. */
export interface ChangeTicket {
  readonly id: string;
  readonly url?: string;
}

/** One person's Approve, recorded once per person by the store's approve script. */
export interface Approval {
  readonly by: SlackUserId;
  readonly at: string;
  /** The environment's approval groups this person is in (counted for one of them at most). */
  readonly groups: readonly string[];
}

export type ApprovalDecision = {
  readonly decision: 'approved' | 'rejected';
  readonly by: SlackUserId;
  readonly at: string;
};

/** A run as kept in Redis; every change goes through one atomic store transition. */
export interface RunRecord {
  readonly id: RunId;
  readonly env: EnvName;
  readonly state: RunState;
  /** Incremented by every transition: a stale writer cannot overwrite a newer state. */
  readonly version: number;
  readonly requester: Requester;
  readonly slack?: SlackPlace;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly phases: readonly PhaseResult[];
  readonly reason?: string;
  readonly approval?: ApprovalRequest;
  readonly decision?: ApprovalDecision;
  /** The change ticket given with the start (`policy.ticket`). */
  readonly ticket?: ChangeTicket;
  /** Who has approved so far, in order (`policy.approvals` of them decide). */
  readonly approvals?: readonly Approval[];
  /** In prod with the flag ON: the requester confirmed that Phase 1 may turn it OFF. */
  readonly outageConfirmedBy?: SlackUserId;
  /** The ts of the message that asks for that confirmation (its buttons count only there). */
  readonly confirmationTs?: string;
  /** While `awaiting_window`: when Phase 3 may start (the window's next opening, freezes skipped). */
  readonly windowOpensAt?: string;
  readonly report?: RunReport;
  /** `login`: Phase 2 alone, the flag untouched. Absent: a verification. */
  readonly purpose?: RunPurpose;
}
