import type { CheckOutcome, CheckResult } from '../domain/check.ts';
import { type PhaseResult, phaseStatusOf, type Stage } from '../domain/phase.ts';
import type { DriverPhrases } from '../hunter/phrases.ts';
import type { Translate } from '../i18n/index.ts';
import { clip } from '../util/truncate.ts';
import { type CheckDefinition, expectedOf, stageTitle, titleOf } from './checks.ts';
import type { RunObserver } from './events.ts';

const OBSERVED_MAX = 1_500;

/** A check to run: its definition, its body and the earlier results it needs to have passed. */
export interface PlannedCheck {
  readonly spec: CheckDefinition;
  readonly body: () => Promise<CheckOutcome>;
  readonly needs?: readonly (CheckResult | undefined)[];
}

/**
 * Runs the checks of one phase in the runbook's order (those it does not order, together). Every
 * check runs unless one it `needs` did not
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
    const [result] = await this.checkTogether([{ spec, body, needs }]);
    return result!;
  }

  /**
   * Checks the runbook does not order among themselves run at once. Their results are recorded
   * in the order given, once all have ended, so no safe point (a shutdown's hand-back) falls
   * while one of them is still running.
   */
  async checkTogether(checks: readonly PlannedCheck[]): Promise<CheckResult[]> {
    const gated = checks.map((planned) => ({ planned, skipped: this.#skipReason(planned.needs ?? []) }));
    for (const { planned, skipped } of gated) {
      if (skipped === undefined)
        await this.observer({
          kind: 'check_started',
          phase: this.phase,
          id: planned.spec.id,
          title: titleOf(planned.spec, this.t),
        });
    }
    const ended = await Promise.all(
      gated.map(({ planned, skipped }) =>
        skipped === undefined ? this.#run(planned.body) : { outcome: skipped, ms: 0 },
      ),
    );
    const results: CheckResult[] = [];
    for (const [i, { planned }] of gated.entries()) {
      const { outcome, ms } = ended[i]!;
      results.push(await this.record(planned.spec, outcome, ms));
    }
    return results;
  }

  /** Why a check does not run at all: the run was cancelled, or a check it needs did not pass. */
  #skipReason(needs: readonly (CheckResult | undefined)[]): CheckOutcome | undefined {
    const { t } = this;
    if (this.signal.aborted) return { status: 'skip', observed: t('checks.run.cancelled') };
    const blocked = needs.findIndex((n) => n === undefined || (n.status !== 'pass' && n.status !== 'warn'));
    if (blocked < 0) return undefined;
    const what = needs[blocked]?.id ?? t('checks.run.earlierCheck');
    return { status: 'skip', observed: t('checks.run.needs', { what }) };
  }

  async #run(body: () => Promise<CheckOutcome>): Promise<{ outcome: CheckOutcome; ms: number }> {
    const { t } = this;
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
    return { outcome, ms: Math.round(performance.now() - started) };
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
