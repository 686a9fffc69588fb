import { detectProblems } from '../../hunter/worker-log-problems.ts';
import { type LogEntry, parseWorkerLogs } from '../../hunter/worker-logs.ts';
import { pollWithBackoff } from '../../util/backoff.ts';
import { type PhaseContext, words } from '../context.ts';
import { tailLines } from './output.ts';

export type LogsFetched =
  | { ok: true; entries: readonly LogEntry[]; lineCount: number }
  | { ok: false; observed: string };

/** Worker log lines since `since` only: older lines belong to earlier runs. */
export async function workerLogsSince(ctx: PhaseContext, since: Date): Promise<LogsFetched> {
  const res = await ctx.target.commands.run({ kind: 'logs', since }, { signal: ctx.signal });
  if (!res.ok) return { ok: false, observed: `${res.message}\n${tailLines(res.stderr, 10)}` };
  const entries = parseWorkerLogs(res.stdout);
  return { ok: true, entries, lineCount: res.stdout === '' ? 0 : res.stdout.split('\n').length };
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
      return last.ok && complete(last.entries) ? { done: true, value: undefined } : { done: false, last: '' };
    },
    { clock: ctx.target.clock, signal: ctx.signal, timeoutMs, initialDelayMs: 100, maxDelayMs: 1_000 },
  );
  return last;
}

/** Celery's own "Task …[id] succeeded in …" / "raised unexpected" line for this task. */
export function taskFinishedIn(entries: readonly LogEntry[], taskId: string): boolean {
  return entries.some((e) => e.raw.includes(taskId) && /succeeded in|raised/.test(e.raw));
}
