import type { EnvironmentConfig } from '../config/config.ts';
import type { Stage } from '../domain/phase.ts';
import type { Target } from '../hunter/port.ts';
import type { RunObserver } from '../runs/events.ts';
import { PhaseRun } from './runner.ts';

/** Everything a phase needs; all I/O is behind `target`, so a phase reads top to bottom. */
export interface PhaseContext {
  readonly target: Target;
  readonly env: EnvironmentConfig;
  readonly signal: AbortSignal;
  readonly observer: RunObserver;
  readonly redact: (text: string) => string;
}

export function startPhase(ctx: PhaseContext, phase: Stage): PhaseRun {
  return new PhaseRun(phase, ctx.observer, ctx.signal, ctx.redact);
}
