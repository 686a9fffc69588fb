import { type CheckOutcome, fail } from '../../domain/check.ts';
import { detectProblems } from '../../hunter/worker-log-problems.ts';
import { type LogEntry, parseWorkerLogs } from '../../hunter/worker-logs.ts';
import { pollWithBackoff } from '../../util/backoff.ts';
import { type PhaseContext, say, words } from '../context.ts';
import { tailLines } from './output.ts';

/** Not read: what happened, and the driver's hint when it knows better than "check the logs". */
export type LogsFetched =
  | { ok: true; entries: readonly LogEntry[]; lineCount: number }
  | { ok: false; observed: string; hint?: string };

/** Worker log lines since `since` only: older lines belong to earlier runs. */
export async function workerLogsSince(ctx: PhaseContext, since: Date): Promise<LogsFetched> {
  const res = await ctx.target.commands.run({ kind: 'logs', since }, { signal: ctx.signal });
  if (!res.ok) {
    const observed = `${res.message}\n${tailLines(res.stderr, 10)}`;
    return res.hint === undefined ? { ok: false, observed } : { ok: false, observed, hint: res.hint };
  }
  const entries = parseWorkerLogs(res.stdout);
  return { ok: true, entries, lineCount: res.stdout === '' ? 0 : res.stdout.split('\n').length };
}

/** A log check that could not read the logs: the driver's hint, else where to look. */
export function logsUnreadable(ctx: PhaseContext, logs: Extract<LogsFetched, { ok: false }>): CheckOutcome {
  return fail(logs.observed, logs.hint ?? words(ctx)('checks.logs.unreadable', { ...say(ctx) }));
}

/** The runbook greps `partner.*center|feature.*flag|referral`: the lines a person would read. */
export function isPartnerCenterLine(entry: LogEntry): boolean {
  return /partner.*center|feature.*flag|referral/i.test(entry.raw);
}

export function problemsIn(entries: readonly LogEntry[]): string[] {
  return detectProblems(entries).map((p) => p.summary);
}

/**
 * Log lines arrive a little after the work they describe: read again with back-off until
 * `complete` says everything expected is there, or the deadline passes (then the last read).
 */
export async function pollWorkerLogs(
  ctx: PhaseContext,
  since: Date,
  complete: (entries: readonly LogEntry[]) => boolean,
  timeoutMs: number,
): Promise<LogsFetched> {
  let last: LogsFetched = { ok: false, observed: words(ctx)('checks.logs.notRead') };
  await pollWithBackoff(
    async () => {
      last = await workerLogsSince(ctx, since);
      // A read the driver could explain (a stopped worker, a CLI that refused an option) does not
      // mend while lines are still on their way: reading again would only delay the report.
      const done = last.ok ? complete(last.entries) : last.hint !== undefined;
      return done ? { done: true, value: undefined } : { done: false, last: '' };
    },
    { clock: ctx.target.clock, signal: ctx.signal, timeoutMs, initialDelayMs: 100, maxDelayMs: 1_000 },
  );
  return last;
}

/** Celery's own "Task …[id] succeeded in …" / "raised unexpected" line for this task. */
export function taskFinishedIn(entries: readonly LogEntry[], taskId: string): boolean {
  return entries.some((e) => e.raw.includes(taskId) && /succeeded in|raised/.test(e.raw));
}
