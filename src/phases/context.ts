import type { EnvironmentConfig } from '../config/config.ts';
import type { Stage } from '../domain/phase.ts';
import { type DriverPhrases, driverPhrases } from '../hunter/phrases.ts';
import type { Target } from '../hunter/port.ts';
import { type Translate, translator } from '../i18n/index.ts';
import type { CheckDefinition } from './checks.ts';
import type { RunObserver } from './events.ts';
import { PhaseRun } from './runner.ts';

/**
 * Where a run records what it does to the flag (docs/architecture.md#the-flag-record), so whoever picks up an
 * interrupted run knows what may have happened: the bot's is in Redis, a terminal run's in
 * memory. Every flag write is preceded by `intend` and every health check reports to `observed`.
 */
export interface FlagLedger {
  /** Before the env file is written. False: this run no longer holds the environment — write nothing. */
  intend(on: boolean): Promise<boolean>;
  /** What a health check saw. */
  observed(on: boolean): Promise<void>;
  /** This run wrote (or was about to write) ON, and nothing has verified OFF since. */
  mayBeOn(): Promise<boolean>;
  /** The flag could not be verified after an interruption: say where it may be. */
  unverified(why: string): Promise<void>;
  /**
   * An intent was refused (this worker's hold is stale or gone): nothing it concluded since
   * stands — it hands the run back and another worker (or a fresh lock) settles the flag.
   */
  fenced(): boolean;
}

/** The ledger of a run with no store behind it (the terminal): it remembers what this process did. */
export function memoryLedger(): FlagLedger {
  let desired: boolean | undefined;
  let seen: boolean | undefined;
  return {
    intend: async (on) => {
      desired = on;
      seen = undefined;
      return true;
    },
    observed: async (on) => {
      seen = on;
    },
    mayBeOn: async () => desired === true || seen === true,
    unverified: async () => undefined,
    fenced: () => false,
  };
}

/** Everything a phase needs; all I/O is behind `target`, so a phase reads top to bottom. */
export interface PhaseContext {
  readonly target: Target;
  readonly env: EnvironmentConfig;
  readonly signal: AbortSignal;
  readonly observer: RunObserver;
  readonly redact: (text: string) => string;
  readonly flag: FlagLedger;
}

export function startPhase(ctx: PhaseContext, phase: Stage): PhaseRun {
  return new PhaseRun(phase, ctx.observer, ctx.signal, ctx.redact, say(ctx), words(ctx));
}

/**
 * The deployment's words for what a person reads of a check (its title, what it saw, the hint):
 * the config's `language`, carried on the environment so every caller of the phases gets it.
 */
export function words(ctx: Pick<PhaseContext, 'env'>): Translate {
  return translator(ctx.env.language ?? 'en');
}

/** A check's own runbook hint, in the deployment's words and its driver's commands. */
export function hintOf(ctx: Pick<PhaseContext, 'env'>, check: CheckDefinition): string {
  return check.hint(say(ctx), words(ctx));
}

/** How this environment's driver words a hint (`docker compose …` or the configured commands). */
export function say(ctx: Pick<PhaseContext, 'env'>): DriverPhrases {
  return driverPhrases(ctx.env.driver, words(ctx));
}
