import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../domain/check.ts';
import { type PhaseStatus, phaseStatusOf, type Stage } from '../domain/phase.ts';
import type { RunEvent } from '../engine/run-events.ts';
import type { PhaseStep, RunNotice } from './run-notices.ts';

interface OpenPhase {
  readonly key: string;
  readonly stage: Stage;
  readonly title: string;
  readonly steps: PhaseStep[];
}

/**
 * The thread's shape (docs/architecture.md#the-outbox): one reply per phase, updated in place as its checks end and
 * the flag moves, plus a reply of its own for a check that failed or warned (expected,
 * observed, next). Turns the engine's events into those notices; each phase attempt gets a key
 * of its own, so a phase run again after a take-over is a new reply, not the old one rewritten.
 */
export class PhaseReplies {
  readonly #prefix = randomUUID().slice(0, 8);
  #count = 0;
  #open: OpenPhase | undefined;

  /** `quiet`: a check skipped because the run was cancelled — the checklist shows it, the thread need not. */
  on(event: RunEvent, quiet = false): RunNotice[] {
    switch (event.kind) {
      case 'phase_started':
        // Turning the flag OFF has no phase_finished: it ends where the next stage begins.
        return [...this.close(), this.#begin(event.phase, event.title)];
      case 'finished':
        return [...this.close(), { kind: 'event', event }];
      case 'check_finished':
        return this.#checkFinished(event.phase, event.result, quiet);
      case 'flag_changed':
        if (!this.#open) return [{ kind: 'event', event }];
        this.#open.steps.push({ kind: 'flag', enabled: event.enabled, why: event.why });
        return [this.#notice()];
      case 'phase_finished': {
        if (this.#open?.stage !== event.result.phase) return [];
        const closed = this.#notice(event.result.status);
        this.#open = undefined;
        return [closed];
      }
      case 'check_started':
      case 'login_handed_off':
        return [];
    }
  }

  /** The reply of a stage still open, with the result its checks give (the switch-off's end). */
  close(): RunNotice[] {
    const open = this.#open;
    if (!open) return [];
    const checks = open.steps.flatMap((step) => (step.kind === 'check' ? [step.result] : []));
    const closed = this.#notice(phaseStatusOf(checks));
    this.#open = undefined;
    return [closed];
  }

  #begin(stage: Stage, title: string): RunNotice {
    this.#open = { key: `${this.#prefix}-${this.#count++}`, stage, title, steps: [] };
    return this.#notice();
  }

  #checkFinished(stage: Stage, result: CheckResult, quiet: boolean): RunNotice[] {
    const own: RunNotice[] =
      result.status === 'fail' || result.status === 'warn'
        ? [{ kind: 'event', event: { kind: 'check_finished', phase: stage, result } }]
        : [];
    if (this.#open?.stage !== stage) return own;
    if (!quiet) this.#open.steps.push({ kind: 'check', result });
    return [this.#notice(), ...own];
  }

  #notice(result?: PhaseStatus): RunNotice {
    const open = this.#open;
    if (!open) throw new Error('no phase is open');
    return {
      kind: 'phase',
      key: open.key,
      stage: open.stage,
      title: open.title,
      steps: [...open.steps],
      ...(result ? { result } : {}),
    };
  }
}
