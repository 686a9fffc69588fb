import { parsePythonLiteral } from '../../hunter/python-literal.ts';
import { pollWithBackoff } from '../../util/backoff.ts';
import { type PhaseContext, words } from '../context.ts';
import { tailLines } from './output.ts';

/** Celery task ids are UUIDs; anything else from the output must not reach an argv. */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9-]{7,63}$/;

export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID.test(value);
}

/** Not sent: what happened, and the driver's hint when it has one (a stopped worker, no `celery`). */
export type TaskSent = { ok: true; taskId: string } | { ok: false; observed: string; hint?: string };

/** `celery call` prints only the task id. */
export async function sendSyncTask(ctx: PhaseContext): Promise<TaskSent> {
  const res = await ctx.target.commands.run({ kind: 'celeryCall' }, { signal: ctx.signal });
  if (!res.ok) {
    const observed = `${res.message}\n${tailLines(res.stderr || res.stdout, 10)}`;
    return res.hint === undefined ? { ok: false, observed } : { ok: false, observed, hint: res.hint };
  }
  const lastLine = res.stdout.trim().split('\n').at(-1)?.trim() ?? '';
  if (!isTaskId(lastLine))
    return {
      ok: false,
      observed: words(ctx)('checks.task.noTaskIdPrinted', { output: tailLines(res.stdout, 5) }),
    };
  return { ok: true, taskId: lastLine };
}

export type TaskOutcome =
  | { kind: 'returned'; value: unknown; text: string }
  | { kind: 'raised'; text: string }
  | { kind: 'unreadable'; text: string }
  | { kind: 'not_ready'; text: string };

/**
 * `celery result <id>` waits for the task and prints its return value as a Python literal,
 * or exits non-zero when the task raised. A not-ready answer is polled again until the
 * driver's command deadline.
 */
export async function fetchTaskResult(ctx: PhaseContext, taskId: string): Promise<TaskOutcome> {
  const timeoutMs = ctx.env.driver.commandTimeout;
  const polled = await pollWithBackoff<TaskOutcome>(
    async (remainingMs) => {
      const res = await ctx.target.commands.run(
        { kind: 'celeryResult', taskId },
        { signal: ctx.signal, timeoutMs: Math.max(1_000, remainingMs) },
      );
      if (!res.ok) {
        const text = `${res.message}\n${tailLines(res.stderr || res.stdout, 20)}`;
        if (res.reason === 'exit') return { done: true, value: { kind: 'raised', text } };
        return { done: false, last: text };
      }
      const text = res.stdout.trim();
      if (text === '' || text === 'None' || /\bPENDING\b/.test(text))
        return { done: false, last: text || '(empty)' };
      const parsed = parsePythonLiteral(text);
      const value: TaskOutcome = parsed.ok
        ? { kind: 'returned', value: parsed.value, text }
        : { kind: 'unreadable', text };
      return { done: true, value };
    },
    { clock: ctx.target.clock, signal: ctx.signal, timeoutMs, initialDelayMs: 200 },
  );
  return polled.ok ? polled.value : { kind: 'not_ready', text: polled.last };
}
