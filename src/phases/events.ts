import type { CheckId, CheckResult } from '../domain/check.ts';
import type { PhaseResult, Stage } from '../domain/phase.ts';
import type { RunReport } from '../domain/run.ts';

/**
 * What a run tells whoever watches it: the terminal prints these, the bot posts them in
 * the thread. Secrets never travel in an event (the device code goes to the handoff only).
 */
export type RunEvent =
  | { readonly kind: 'phase_started'; readonly phase: Stage; readonly title: string }
  | {
      readonly kind: 'check_started';
      readonly phase: Stage;
      readonly id: CheckId;
      readonly title: string;
    }
  | { readonly kind: 'check_finished'; readonly phase: Stage; readonly result: CheckResult }
  | { readonly kind: 'phase_finished'; readonly result: PhaseResult }
  | { readonly kind: 'login_handed_off'; readonly expiresAt: Date }
  | { readonly kind: 'flag_changed'; readonly enabled: boolean; readonly why: string }
  | { readonly kind: 'finished'; readonly report: RunReport };

export type RunObserver = (event: RunEvent) => void | Promise<void>;

export const ignoreEvents: RunObserver = () => undefined;
