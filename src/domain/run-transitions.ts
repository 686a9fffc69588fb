import { ACTIVE_STATES, type RunState, TERMINAL_STATES } from './run.ts';

/**
 * The run's state machine as data: every way a run's state may change, named after the
 * transition, with the states it may leave and the states it may reach. The store's scripts
 * are handed the row of the transition they make and refuse any other move, so no caller
 * chooses which states it may overwrite (docs/architecture.md draws this table).
 *
 * `cancelling` is left only by `finish`: a cancel that lands between two steps of a worker
 * is never overwritten by the next step.
 */
export interface TransitionRule {
  readonly from: readonly RunState[];
  readonly to: readonly RunState[];
}

const ALL_STATES: readonly RunState[] = [...ACTIVE_STATES, ...TERMINAL_STATES];

/** The states a worker's phases move through (a sign-in renewal runs Phase 2 after its approval). */
const WORKING = ['queued', 'phase0', 'phase1', 'phase2', 'awaiting_login', 'phase3'] as const;

export const RUN_TRANSITIONS = {
  /** A new run takes its environment: it starts queued, from no state. */
  claim: { from: [], to: ['queued'] },
  /** In prod with the flag ON, the requester is asked before Phase 1 switches it OFF. */
  askOutageConfirmation: { from: ['queued', 'phase0'], to: ['awaiting_confirmation'] },
  /** The requester's answer: go on from the start, or stop with nothing changed. */
  answerOutageConfirmation: { from: ['awaiting_confirmation'], to: ['queued', 'cancelled'] },
  /** A worker starts a phase, or hands the sign-in code to the requester. */
  enterPhase: { from: WORKING, to: ['phase0', 'phase1', 'phase2', 'awaiting_login', 'phase3'] },
  /** Phases 0–2 passed (or a sign-in renewal is about to start): a second person decides. */
  awaitApproval: {
    from: ['queued', 'phase0', 'phase1', 'phase2', 'awaiting_login'],
    to: ['awaiting_approval'],
  },
  /**
   * Phase 3 goes on when the approval that completes `policy.approvals` is recorded (the store's
   * approveRun, in the same step; its worker may find the window closed), or the run is cancelled
   * by the first valid Reject.
   */
  decide: { from: ['awaiting_approval'], to: ['phase3', 'cancelled'] },
  /**
   * Phase 3 may not start yet (outside the change window, or a freeze): after Phases 0–2
   * without an approval gate, or approved but before Phase 3 changed anything.
   */
  awaitWindow: { from: ['phase2', 'awaiting_login', 'phase3'], to: ['awaiting_window'] },
  /** The window opened: the approved run goes on to Phase 3. */
  openWindow: { from: ['awaiting_window'], to: ['phase3'] },
  /** `cancelled` when the flag is settled, else `cancelling` until the flag is verified OFF. */
  cancel: {
    from: ACTIVE_STATES.filter((s) => s !== 'cancelling'),
    to: ['cancelled', 'cancelling'],
  },
  /**
   * The run's end, recorded once: from any state (a run cancelled, or failed by a claim that
   * found it without a worker, still gets its report), to a terminal one.
   */
  finish: { from: ALL_STATES, to: TERMINAL_STATES },
  /** A new claim found the environment's previous run without a worker: it is failed. */
  failStale: { from: ACTIVE_STATES, to: ['failed'] },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof RUN_TRANSITIONS;

/** The states `name` may reach. */
export type TargetOf<N extends TransitionName> = (typeof RUN_TRANSITIONS)[N]['to'][number];

/** Whether the table allows `name` from `from` to `to`. */
export function allows(name: TransitionName, from: RunState, to: RunState): boolean {
  const rule: TransitionRule = RUN_TRANSITIONS[name];
  return rule.from.includes(from) && rule.to.includes(to);
}
