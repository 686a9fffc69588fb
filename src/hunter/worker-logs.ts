import { stripVTControlCharacters } from 'node:util';
import { parsePythonLiteral } from './python-literal.ts';

/**
 * Reads the worker's log output the way a person greps it: compose's `worker-1  | ` prefix and
 * `logs -t` timestamps are optional, Celery's `[time: LEVEL/Process]` prefix is optional, and the
 * message is a structlog JSON object, `key=value` pairs, or Celery's own text. A traceback is
 * folded into the entry it belongs to.
 */

export interface LogEntry {
  /** The line as printed (colour codes removed); a folded traceback adds its lines after `\n`. */
  readonly raw: string;
  /** From `logs -t` or the structured `timestamp`; Celery's own zone-less time is not trusted. */
  readonly time?: Date;
  /** Lower case; the structured level wins over Celery's (captured stdout is always WARNING). */
  readonly level?: string;
  readonly event?: string;
  readonly fields: Record<string, unknown>;
  readonly kind: 'structured' | 'celery' | 'text';
  /** Celery's prefix, when the line had one. */
  readonly celery?: { readonly level: string; readonly process: string; readonly time: string };
  /** The traceback lines folded into this entry; the last one names the exception. */
  readonly traceback?: readonly string[];
}

const COMPOSE_PREFIX = /^[A-Za-z0-9][\w.-]*?[-_]\d+\s*\| ?/;
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;
const CELERY_PREFIX = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): ([A-Z]+)\/([^\]]+)\] ?/;
const TASK_CONTEXT = /^[\w.]+\[[\w-]+\]: /;
const CELERY_TASK =
  /^Task ([\w.]+)\[([\w-]+)\] (received|succeeded in ([\d.]+)s: |raised unexpected: |retry: )(.*)$/;
const TRACEBACK_START = /^Traceback \(most recent call last\):\s*$/;
const CHAIN_MARKER = /^(During handling of the above exception|The above exception was the direct cause)/;
export const ERROR_LEVELS = new Set(['error', 'critical', 'exception', 'fatal']);

interface Line {
  readonly raw: string;
  readonly body: string;
  readonly time?: Date;
}

type TraceState = 'none' | 'open' | 'ended';

interface Builder {
  entry: LogEntry;
  trace: TraceState;
  lines: string[];
  traceLines: string[];
}

export function parseWorkerLogs(text: string): LogEntry[] {
  const lines = stripVTControlCharacters(text).split(/\r?\n/).map(splitLine);
  const built: Builder[] = [];
  lines.forEach((line, i) => {
    const last = built.at(-1);
    const hasCeleryPrefix = CELERY_PREFIX.test(line.body);
    const next = hasCeleryPrefix || last === undefined ? undefined : continuation(last, line.body, lines, i);
    if (last && next) {
      last.trace = next;
      last.lines.push(line.raw);
      last.traceLines.push(line.body);
      return;
    }
    if (line.body.trim() === '') return;
    const entry = parseLine(line);
    const opens = TRACEBACK_START.test(line.body);
    built.push({
      entry,
      trace: opens ? 'open' : 'none',
      lines: [line.raw],
      traceLines: opens ? [line.body] : [],
    });
  });
  return built.map(finish);
}

function splitLine(raw: string): Line {
  let body = raw.replace(COMPOSE_PREFIX, '');
  const stamp = RFC3339.exec(body);
  if (!stamp) return { raw, body };
  body = body.slice(stamp[0].length);
  const time = new Date(stamp[1]!);
  return Number.isNaN(time.getTime()) ? { raw, body } : { raw, body, time };
}

/** The traceback state after folding `body` into `last`, or undefined when it starts a new entry. */
function continuation(
  last: Builder,
  body: string,
  lines: readonly Line[],
  i: number,
): TraceState | undefined {
  if (last.trace === 'none') {
    const failing = last.entry.celery && ERROR_LEVELS.has(last.entry.celery.level.toLowerCase());
    return failing && TRACEBACK_START.test(body) ? 'open' : undefined;
  }
  if (last.trace === 'open') {
    if (body.trim() === '' || /^\s/.test(body) || TRACEBACK_START.test(body) || CHAIN_MARKER.test(body))
      return 'open';
    return 'ended'; // the exception line closes a traceback
  }
  if (CHAIN_MARKER.test(body)) return 'open';
  if (body.trim() !== '') return undefined;
  const following = lines.slice(i + 1).find((l) => l.body.trim() !== '');
  return following && CHAIN_MARKER.test(following.body) ? 'ended' : undefined;
}

function finish(b: Builder): LogEntry {
  const raw = b.lines.join('\n').trimEnd();
  const trace = b.traceLines.filter((l) => l.trim() !== '');
  if (trace.length === 0) return { ...b.entry, raw };
  const exception = trace.at(-1)!;
  const fields = 'exception' in b.entry.fields ? b.entry.fields : { ...b.entry.fields, exception };
  return { ...b.entry, raw, fields, traceback: trace };
}

function parseLine(line: Line): LogEntry {
  const prefix = CELERY_PREFIX.exec(line.body);
  const celery = prefix ? { time: prefix[1]!, level: prefix[2]!, process: prefix[3]! } : undefined;
  const message = prefix ? line.body.slice(prefix[0].length).replace(TASK_CONTEXT, '') : line.body;
  const base = { raw: line.raw, ...(line.time ? { time: line.time } : {}), ...(celery ? { celery } : {}) };
  const structured = parseStructured(message.trim());
  if (structured) {
    const time = base.time ?? zonedTime(structured.fields.timestamp ?? structured.fields.time);
    const level = structured.level ?? celery?.level.toLowerCase();
    return {
      ...base,
      kind: 'structured',
      fields: structured.fields,
      ...(time ? { time } : {}),
      ...(level ? { level } : {}),
      ...(structured.event ? { event: structured.event } : {}),
    };
  }
  const task = CELERY_TASK.exec(message);
  const level = celery?.level.toLowerCase();
  return {
    ...base,
    kind: celery || task ? 'celery' : 'text',
    fields: task ? taskFields(task) : { message },
    ...(level ? { level } : {}),
  };
}

function taskFields(m: RegExpExecArray): Record<string, unknown> {
  const [, taskName, taskId, verb, runtime, rest] = m;
  const outcome = verb === 'received' ? 'received' : verb!.split(' ')[0]!.replace(':', '');
  const fields: Record<string, unknown> = { task_name: taskName, task_id: taskId, outcome };
  if (runtime !== undefined) fields.runtime = Number(runtime);
  if (outcome === 'succeeded') {
    const result = parsePythonLiteral(rest!);
    fields.result = result.ok ? result.value : rest;
  }
  if (outcome === 'raised') fields.exception = rest;
  if (outcome === 'retry') fields.reason = rest;
  return fields;
}

interface Structured {
  readonly fields: Record<string, unknown>;
  readonly level?: string;
  readonly event?: string;
}

function parseStructured(message: string): Structured | undefined {
  if (message.startsWith('{')) {
    const parsed = parsePythonLiteral(message);
    if (!parsed.ok || !isRecord(parsed.value)) return undefined;
    return describe(parsed.value, undefined, undefined);
  }
  const kv = parseKeyValues(message);
  if (!kv) return undefined;
  // structlog's console renderer: `2026-11-28 21:41:52 [info     ] event_name   key=value …`
  const head = /^(?:\S+(?: \d\d:\S+)? )?\[\s*(\w+)\s*\]\s+(\S+)$|^(\S+)$/.exec(kv.prefix);
  if (kv.prefix !== '' && !head) return undefined;
  return describe(kv.fields, head?.[1]?.toLowerCase(), head?.[2] ?? head?.[3]);
}

function describe(
  fields: Record<string, unknown>,
  level: string | undefined,
  event: string | undefined,
): Structured {
  const lvl = level ?? firstString(fields.level, fields.log_level, fields.levelname)?.toLowerCase();
  const ev =
    event ?? firstString(fields.event) ?? firstString(fields.msg, fields.message)?.match(/^[\w.:-]+$/)?.[0];
  return { fields, ...(lvl ? { level: lvl } : {}), ...(ev ? { event: ev } : {}) };
}

/**
 * The run of `key=value` tokens that ends the message, and the text before it. Values may be
 * quoted with `"` (JSON-style) or `'` (Python repr, structlog's KeyValueRenderer).
 */
function parseKeyValues(message: string): { prefix: string; fields: Record<string, unknown> } | undefined {
  const token = /([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S*)(?=\s|$)|\S+/g;
  const pairs: [string, string][] = [];
  let prefixEnd = 0;
  for (let m = token.exec(message); m; m = token.exec(message)) {
    if (m[1] === undefined) {
      pairs.length = 0;
      prefixEnd = m.index + m[0].length;
    } else pairs.push([m[1], m[2]!]);
  }
  if (pairs.length === 0) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    Object.defineProperty(fields, key, {
      value: kvValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { prefix: message.slice(0, prefixEnd).trim(), fields };
}

function kvValue(text: string): unknown {
  if (/^(["'[{(]|-?\d)/.test(text) || /^(True|False|None|true|false|null)$/.test(text)) {
    const parsed = parsePythonLiteral(text);
    if (parsed.ok) return parsed.value;
  }
  return text;
}

/** JSON false, Python False and the strings "false"/"False" all read as false. */
export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (/^(false|0|no|off)$/i.test(value)) return false;
    if (/^(true|1|yes|on)$/i.test(value)) return true;
  }
  return undefined;
}

/** The first entry with this event that also satisfies `predicate`. */
export function findEvent(
  entries: readonly LogEntry[],
  event: string,
  predicate: (entry: LogEntry) => boolean = () => true,
): LogEntry | undefined {
  return entries.find((e) => e.event === event && predicate(e));
}

function zonedTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/(Z|[+-]\d\d:?\d\d)$/.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

export function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
