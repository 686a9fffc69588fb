import type { RunId } from '../domain/ids.ts';
import { ACTIVE_STATES, isTerminal, type RunRecord, type RunReport, type RunState } from '../domain/run.ts';
import { buildReport } from '../engine/build-report.ts';
import { renderCoded, translator } from '../i18n/index.ts';
import type { NoteTone, RunNotice, ThreadNote } from '../outbox/run-notices.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import { canonical } from '../store/audit.ts';
import type { BotServices } from './lifecycle-deps.ts';

/** Who ends runs: the worker, the cancel command, the reaper, a start that finds a stale run. */
export interface FinishOptions {
  /** The flag as the run left it, when known. */
  readonly flagOn?: boolean;
  /** A line for the thread, before the root message (the worker's verdict is `verdict`). */
  /** A line for the thread; plain text from the commands, which word it themselves. */
  readonly threadNote?: ThreadNote | string;
  /**
   * Say the verdict (the engine's `finished` event, of the report as recorded) in the finish's
   * own step: the bot's conclusion, whose engine leaves it to the end (`concludeRun`).
   */
  readonly verdict?: true;
  /**
   * End the run only if it is still in this state: for an end decided from a state seen a
   * moment ago (the reaper's "nobody runs this"), which a cancel or a decision may have overtaken.
   */
  readonly ifStill?: RunState;
}

/**
 * Ends a run exactly once: moves it to the report's terminal state (or keeps the terminal state
 * someone already gave it), stores the report in the run, records the result (latest + history),
 * audits it and tells its thread (the verdict, a note, the root message, its buttons closed) —
 * all in one store step. Returns the run as it ended, or undefined when someone else had
 * already recorded its end.
 */
export async function finishRun(
  s: BotServices,
  runId: RunId,
  report: RunReport,
  options: FinishOptions = {},
): Promise<RunRecord | undefined> {
  const current = await s.runs.get(runId);
  if (!current || current.report) return undefined;
  if (options.ifStill !== undefined && current.state !== options.ifStill) return undefined;
  const from: readonly RunState[] = options.ifStill
    ? [options.ifStill]
    : isTerminal(current.state)
      ? [current.state]
      : ACTIVE_STATES;
  // A run someone failed already (a lost lease) stays failed; a cancel may end as rolled_back.
  const to = isTerminal(current.state) && current.state !== 'cancelled' ? current.state : report.state;
  const reason = reasonOf(current, report);
  const final: RunReport = {
    ...report,
    state: to,
    ...(to === report.state ? {} : { verdict: 'FAIL', canTurnOn: false }),
    ...(reason ? { reason } : {}),
  };
  const notices = stepNotices(s.notifier, (run): RunNotice[] => [
    ...(options.verdict ? [{ kind: 'event', event: { kind: 'finished', report: final } } as const] : []),
    ...(options.threadNote ? [noteOf(options.threadNote)] : []),
    { kind: 'root', run },
    { kind: 'run_closed', run },
  ]);
  const ended = await s.runs.finish(
    runId,
    from,
    to,
    () => ({ report: final, phases: final.phases, ...(final.reason ? { reason: final.reason } : {}) }),
    (run) => ({
      summary: {
        report: final,
        requester: run.requester,
        ...(run.ticket ? { ticket: run.ticket } : {}),
        ...(options.flagOn === undefined ? {} : { flagOn: options.flagOn }),
      },
      auditPayload: canonical({
        at: s.now().toISOString(),
        actor: 'pc-verify',
        action: 'run.finished',
        runId,
        outcome: 'info',
        // The audit trail reads as a log: English words, whatever the deployment's language.
        detail: `${final.verdict} (${final.state})${final.reason ? `: ${renderCoded(translator('en'), final.reason)}` : ''}`,
      }),
    }),
    notices.appends,
  );
  if (!ended.ok) return undefined;
  s.metrics.runs.inc({ env: final.env, verdict: final.verdict, state: final.state });
  await s.audit
    .flushPending(final.env)
    .catch((error: unknown) =>
      s.log.warn({ runId, err: error }, 'audit entry queued; the reaper appends it'),
    );
  await notices.told(ended.run);
  s.log.info({ runId, env: final.env, verdict: final.verdict, state: final.state }, 'run finished');
  return ended.run;
}

/** Who cancelled says more than "the run was cancelled"; a rollback after the cancel says what it did. */
function reasonOf(current: RunRecord, report: RunReport): string | undefined {
  if ((current.state !== 'cancelled' && current.state !== 'cancelling') || !current.reason)
    return report.reason;
  if (report.reason?.startsWith(current.reason)) return report.reason;
  if (report.state === 'cancelled') return current.reason;
  return `${current.reason} ${report.reason ?? ''}`.trim();
}

/** The report of a run that ends without its phases finishing (cancelled, lost, expired). */
/**
 * Ends a run where it stands (no phase runs any more) as `state`, for `reason`, said in its thread
 * in `tone`; with `ifStill`, only if nothing moved it meanwhile (see FinishOptions).
 */
export function endRun(
  s: BotServices,
  run: RunRecord,
  end: { state: RunState; reason: string; tone: NoteTone; ifStill?: RunState },
): Promise<RunRecord | undefined> {
  return finishRun(s, run.id, endedReport(s, run, end.state, end.reason), {
    threadNote: { tone: end.tone, text: end.reason },
    ...(end.ifStill === undefined ? {} : { ifStill: end.ifStill }),
  });
}

export function endedReport(s: BotServices, run: RunRecord, state: RunState, reason: string): RunReport {
  return buildReport({
    env: run.env,
    runId: run.id,
    startedAt: new Date(run.createdAt),
    finishedAt: s.now(),
    ran: run.phases.filter((p) => p.status !== 'not_run'),
    state,
    reason,
  });
}

function noteOf(note: ThreadNote | string): RunNotice {
  return typeof note === 'string' ? { kind: 'note', text: note } : { kind: 'note', ...note };
}
