import { clip } from '../util/truncate.ts';
import { ERROR_LEVELS, firstString, type LogEntry, readBoolean } from './worker-logs.ts';

export interface LogProblem {
  readonly kind: 'task_raised' | 'traceback' | 'exception' | 'error_level';
  /** One line for a person. */
  readonly summary: string;
  readonly entry: LogEntry;
}

/**
 * What a person would call a failure in the worker log: a task that raised, a traceback, an
 * exception attached to a structured line, an error-level line. Banners, warnings (such as
 * running as root) and soft outcomes like "no referrals" are not problems.
 */
export function detectProblems(entries: readonly LogEntry[]): LogProblem[] {
  const problems: LogProblem[] = [];
  for (const entry of entries) {
    const problem = problemOf(entry);
    if (problem) problems.push({ ...problem, summary: clip(problem.summary, 300), entry });
  }
  return problems;
}

function problemOf(entry: LogEntry): Omit<LogProblem, 'entry'> | undefined {
  const { fields } = entry;
  const what = entry.event ?? firstString(fields.message) ?? entry.raw;
  if (entry.kind === 'celery' && fields.outcome === 'raised') {
    return {
      kind: 'task_raised',
      summary: `Task ${fields.task_name}[${fields.task_id}] raised: ${fields.exception}`,
    };
  }
  if (entry.traceback) return { kind: 'traceback', summary: `traceback ending in ${entry.traceback.at(-1)}` };
  const exception = exceptionIn(fields);
  if (exception) return { kind: 'exception', summary: `${what}: ${exception}` };
  const celeryLevel = entry.celery?.level.toLowerCase();
  if (ERROR_LEVELS.has(entry.level ?? '') || ERROR_LEVELS.has(celeryLevel ?? '')) {
    return { kind: 'error_level', summary: `${entry.level ?? celeryLevel} line: ${what}` };
  }
  return undefined;
}

/** The last line of an attached exception, or `exc_info` when it is only a flag. */
function exceptionIn(fields: Record<string, unknown>): string | undefined {
  for (const key of ['exception', 'exc_text', 'stack_trace', 'exc_info']) {
    const value = fields[key];
    if (value === undefined || value === null || value === '' || readBoolean(value) === false) continue;
    if (typeof value === 'string' && readBoolean(value) !== true) {
      return value.trimEnd().split('\n').at(-1)!.trim();
    }
    if (typeof value === 'object') return JSON.stringify(value);
    return key;
  }
  return undefined;
}
