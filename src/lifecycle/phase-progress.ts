import type { CheckResult } from '../domain/check.ts';
import type { PhaseResult, Stage } from '../domain/phase.ts';
import { ACTIVE_STATES, type RunRecord } from '../domain/run.ts';
import type { TargetOf } from '../domain/run-transitions.ts';
import type { RunEvent } from '../engine/run-events.ts';
import { coded, message } from '../i18n/index.ts';
import { PhaseReplies } from '../outbox/phase-replies.ts';
import type { RunVoice } from '../outbox/run-announcer.ts';
import type { LivePhase } from '../outbox/run-notices.ts';
import type { DmRef } from '../store/login-dm.ts';
import { auditCommand } from './audit-command.ts';
import type { BotServices } from './lifecycle-deps.ts';
import type { RunControl } from './run-control.ts';

/**
 * Turns the engine's events into the bot's side effects: the run's state in Redis (the state
 * machine of docs/architecture.md#the-runs-state-machine), a thread reply per phase (and per failing check), the root checklist updated in place, the
 * flag state for the dashboard, metrics. A failing side effect is logged and never fails a
 * check: the run goes on.
 */
export class RunWatcher {
  record: RunRecord;
  /** Phases that passed before this worker took over, then the ones it ran. */
  phases: PhaseResult[];
  flagOn: boolean | undefined;
  dm: DmRef | undefined;
  #live: LivePhase | undefined;
  #cancelNoted = false;
  readonly #replies = new PhaseReplies();
  readonly #phaseStarted = new Map<PhaseResult['phase'], number>();

  constructor(
    private readonly s: BotServices,
    run: RunRecord,
    private readonly reporter: RunVoice,
    private readonly control: RunControl,
  ) {
    this.record = run;
    this.phases = [...run.phases];
  }

  readonly observer = async (event: RunEvent): Promise<void> => {
    // Handed back or no longer ours: the next worker (or whoever ended it) tells the story.
    const stopped = this.control.stopReason();
    if (stopped === 'hand_back' || stopped === 'lost') return;
    try {
      if (stopped === 'cancelled' && !this.#cancelNoted) {
        this.#cancelNoted = true;
        const why = this.control.stopDetail() ?? coded(message('thread.note.runCancelled'));
        await this.reporter.reply(`${why} ${coded(message('thread.note.stopping'))}`, 'stopped');
      }
      await this.#handle(event);
    } catch (error) {
      this.s.log.warn(
        { runId: this.record.id, event: event.kind, err: error },
        'run event side effect failed',
      );
    }
  };

  async #handle(event: RunEvent): Promise<void> {
    this.s.log.debug({ runId: this.record.id, env: this.record.env, ...eventSummary(event) }, 'run event');
    switch (event.kind) {
      case 'phase_started':
        if (event.phase !== 'off') {
          this.#phaseStarted.set(event.phase, performance.now());
          this.#live = { phase: event.phase, checks: [] };
          await this.moveTo(`phase${event.phase}`);
          await this.reporter.refresh(this.record, this.#live);
        }
        return this.#tell(event);
      case 'check_started':
        return;
      case 'check_finished':
        return this.#checkFinished(event.phase, event.result);
      case 'phase_finished':
        return this.#phaseFinished(event.result);
      case 'login_handed_off':
        // A shutdown asked for before the code went out hands the run back now.
        this.control.atSafePoint();
        return;
      case 'flag_changed':
        // The flag record itself is the ledger's (written before the env file); this is the story.
        this.flagOn = event.enabled;
        await auditCommand(
          this.s,
          this.record.env,
          'pc-verify',
          event.enabled ? 'flag.on' : 'flag.off',
          'info',
          event.why,
          this.record.id,
        );
        return this.#tell(event);
      case 'finished':
        return this.#tell(event);
    }
  }

  async #checkFinished(stage: Stage, result: CheckResult): Promise<void> {
    this.s.metrics.checkSeconds.observe(
      { env: this.record.env, check: result.id, status: result.status },
      result.ms / 1000,
    );
    if (stage !== 'off' && this.#live?.phase === stage) {
      this.#live = { phase: stage, checks: [...this.#live.checks, result] };
    }
    if (result.id === 'auth.device_code') await this.#loginEnded(result);
    // After a cancel every remaining check is skipped: the checklist shows them, the thread need not.
    const quiet = result.status === 'skip' && this.control.stopReason() === 'cancelled';
    await this.#tell({ kind: 'check_finished', phase: stage, result }, quiet);
    if (stage !== 'off') await this.reporter.refresh(this.record, this.#live);
    this.control.atSafePoint();
  }

  async #loginEnded(result: CheckResult): Promise<void> {
    this.control.waitingForPerson = false;
    await this.reporter.say({
      kind: 'login_ended',
      env: this.record.env,
      outcome: loginOutcomeWords(result),
      ...(this.dm ? { dm: this.dm } : {}),
    });
    this.dm = undefined;
    await this.s.loginDms.clear(this.record.id);
    await this.moveTo('phase2');
  }

  async #phaseFinished(result: PhaseResult): Promise<void> {
    const started = this.#phaseStarted.get(result.phase);
    if (started !== undefined) {
      this.s.metrics.phaseSeconds.observe(
        { env: this.record.env, phase: String(result.phase), status: result.status },
        (performance.now() - started) / 1000,
      );
    }
    this.phases = [...this.phases.filter((p) => p.phase !== result.phase), result];
    this.#live = undefined;
    const phases = this.phases;
    const saved = await this.s.runs.patch(this.record.id, ACTIVE_STATES, () => ({ phases }));
    if (saved.ok) this.record = saved.run;
    this.reporter.follow(this.record);
    await this.#tell({ kind: 'phase_finished', result });
    await this.reporter.refresh(this.record);
  }

  /** The reply of a stage still open (the switch-off) gets its result, before the verdict. */
  async closePhase(): Promise<void> {
    for (const notice of this.#replies.close())
      await this.reporter
        .say(notice)
        .catch((error: unknown) =>
          this.s.log.warn({ runId: this.record.id, err: error }, 'phase reply not closed'),
        );
  }

  async #tell(event: RunEvent, quiet = false): Promise<void> {
    for (const notice of this.#replies.on(event, quiet)) await this.reporter.say(notice);
  }

  /** Phase 2 handed the code over: the run now waits for a person, holding nothing but this job. */
  async awaitingLogin(): Promise<void> {
    this.control.waitingForPerson = true;
    await this.moveTo('awaiting_login');
    await this.reporter.refresh(this.record, this.#live);
  }

  /** One step of the state machine; refused (and ignored) once the run was cancelled or ended. */
  async moveTo(state: TargetOf<'enterPhase'>): Promise<boolean> {
    if (this.record.state === state) return true;
    const moved = await this.s.runs.enterPhase(this.record.id, state);
    if (moved.ok) this.record = moved.run;
    this.reporter.follow(this.record);
    return moved.ok;
  }
}

export function requesterOf(run: RunRecord): string {
  return run.requester.kind === 'slack' ? run.requester.userId : run.requester.user;
}

/** "done", "declined", "expired", "cancelled" or "failed" — never the code, never a token. */
export function loginOutcomeWords(result: CheckResult): string {
  if (result.status === 'pass') return 'done';
  if (result.status === 'skip') return 'cancelled';
  const kind = /^(declined|expired|cancelled)\b/.exec(result.observed)?.[1];
  return kind ?? 'failed';
}

/** What an event is, for the log: kinds, phases, check ids and statuses — never what was observed. */
function eventSummary(event: RunEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'phase_started':
      return { event: event.kind, phase: event.phase };
    case 'check_started':
      return { event: event.kind, phase: event.phase, check: event.id };
    case 'check_finished':
      return {
        event: event.kind,
        phase: event.phase,
        check: event.result.id,
        status: event.result.status,
        ms: event.result.ms,
      };
    case 'phase_finished':
      return { event: event.kind, phase: event.result.phase, status: event.result.status };
    case 'login_handed_off':
      return { event: event.kind };
    case 'flag_changed':
      return { event: event.kind, enabled: event.enabled };
    case 'finished':
      return { event: event.kind, verdict: event.report.verdict, state: event.report.state };
  }
}
