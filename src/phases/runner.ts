import type { CheckOutcome, CheckResult } from '../domain/check.ts';
import { type PhaseResult, phaseStatusOf, type Stage } from '../domain/phase.ts';
import type { DriverPhrases } from '../hunter/phrases.ts';
import type { Translate } from '../i18n/index.ts';
import { clip } from '../util/truncate.ts';
import { type CheckDefinition, expectedOf, stageTitle, titleOf } from './checks.ts';
import type { RunObserver } from './events.ts';

const OBSERVED_MAX = 1_500;

/**
 * Runs the checks of one phase in order. Every check runs unless one it `needs` did not
 * pass, so one report shows everything wrong at once; a check that throws is a bug and is
 * reported as a failure, never swallowed.
 */
export class PhaseRun {
  readonly #results: CheckResult[] = [];

  constructor(
    readonly phase: Stage,
    private readonly observer: RunObserver,
    private readonly signal: AbortSignal,
    private readonly redact: (text: string) => string,
    private readonly say: DriverPhrases,
    private readonly t: Translate,
  ) {}

  async start(): Promise<void> {
    await this.observer({ kind: 'phase_started', phase: this.phase, title: stageTitle(this.t, this.phase) });
  }

  async check(
    spec: CheckDefinition,
    body: () => Promise<CheckOutcome>,
    needs: readonly (CheckResult | undefined)[] = [],
  ): Promise<CheckResult> {
    const { t } = this;
    if (this.signal.aborted)
      return this.record(spec, { status: 'skip', observed: t('checks.run.cancelled') }, 0);
    const blocked = needs.findIndex((n) => n === undefined || (n.status !== 'pass' && n.status !== 'warn'));
    if (blocked >= 0) {
      const what = needs[blocked]?.id ?? t('checks.run.earlierCheck');
      return this.record(spec, { status: 'skip', observed: t('checks.run.needs', { what }) }, 0);
    }
    await this.observer({ kind: 'check_started', phase: this.phase, id: spec.id, title: titleOf(spec, t) });
    const started = performance.now();
    let outcome: CheckOutcome;
    try {
      outcome = await body();
    } catch (error) {
      outcome = this.signal.aborted
        ? { status: 'skip', observed: t('checks.run.stopped') }
        : {
            status: 'fail',
            observed: t('checks.run.bug', { error: error instanceof Error ? error.message : String(error) }),
            hint: t('checks.run.bugHint'),
          };
    }
    // A check cut short by a cancel did not find a problem in Hunter: it was stopped.
    if (this.signal.aborted && outcome.status === 'fail') {
      outcome = { status: 'skip', observed: t('checks.run.stopped') };
    }
    return this.record(spec, outcome, Math.round(performance.now() - started));
  }

  /** The results so far, in the order the checks ran. */
  results(): readonly CheckResult[] {
    return [...this.#results];
  }

  async finish(): Promise<PhaseResult> {
    if (this.phase === 'off') throw new Error('PhaseRun.finish: the off stage is not a runbook phase');
    const result: PhaseResult = {
      phase: this.phase,
      title: stageTitle(this.t, this.phase),
      status: phaseStatusOf(this.#results),
      checks: [...this.#results],
    };
    await this.observer({ kind: 'phase_finished', result });
    return result;
  }

  private async record(spec: CheckDefinition, outcome: CheckOutcome, ms: number): Promise<CheckResult> {
    const hint =
      outcome.status === 'fail'
        ? outcome.hint || spec.hint(this.say, this.t)
        : outcome.status === 'warn'
          ? outcome.hint
          : undefined;
    const result: CheckResult = {
      id: spec.id,
      title: titleOf(spec, this.t),
      status: outcome.status,
      expected: expectedOf(spec, this.t),
      observed: clip(this.redact(outcome.observed), OBSERVED_MAX),
      // A hint may quote the operator's configured commands: redacted like everything shown.
      ...(hint === undefined ? {} : { hint: this.redact(hint) }),
      ms,
    };
    this.#results.push(result);
    await this.observer({ kind: 'check_finished', phase: this.phase, result });
    return result;
  }
}
