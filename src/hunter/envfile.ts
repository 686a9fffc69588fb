/**
 * A `.env` file as docker compose and python-dotenv (pydantic-settings) read it, kept line by
 * line so an edit changes one value and leaves every other byte alone. Where the two readers
 * disagree (a value starting with `#`, text after a closing quote) the file is refused, not
 * guessed at: pc-verify must not rewrite a file whose meaning it does not know.
 *
 * Not modelled: `${VAR}` interpolation (values are reported literally) and keys quoted with
 * `'`/`"` (refused).
 */

export type EnvQuote = '' | "'" | '"';

interface LineBase {
  /** 1-based number of the line the record starts on. */
  readonly line: number;
  /** The record's text without its line ending (a quoted value may span lines). */
  readonly text: string;
  /** `\n`, `\r\n`, or `` for a last line without one. */
  readonly eol: string;
}

export type EnvLine =
  | (LineBase & { readonly kind: 'blank' | 'comment' })
  /** `KEY` with no `=`: python-dotenv reads it as "no value". */
  | (LineBase & { readonly kind: 'bare'; readonly key: string; readonly head: string; readonly tail: string })
  | (LineBase & {
      readonly kind: 'assignment';
      readonly key: string;
      readonly value: string;
      readonly quote: EnvQuote;
      /** Everything before the value: indentation, `export `, the key, `=` and spaces. */
      readonly head: string;
      /** Everything after the value: spaces and an inline comment. */
      readonly tail: string;
    });

export type EnvParse =
  | { readonly ok: true; readonly entries: ReadonlyMap<string, string>; readonly lines: readonly EnvLine[] }
  | { readonly ok: false; readonly line: number; readonly problem: string };

export type EnvEdit =
  | {
      readonly ok: true;
      readonly text: string;
      readonly changed: boolean;
      /** Line numbers of earlier lines setting the same key; they were left alone (the last one wins). */
      readonly duplicates: readonly number[];
    }
  | { readonly ok: false; readonly problem: string };

type Refusal = { readonly ok: false; readonly line: number; readonly problem: string };
type Parsed = { readonly ok: true; readonly record: EnvLine; readonly end: number } | Refusal;

const BLANK_OR_COMMENT = /^[ \t]*(#.*)?$/;
const KEY_START = /^([ \t]*)(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*)/;
const SAFE_UNQUOTED = /^[\w.,:/@%+=~^-]*$/;

export function parseEnvFile(text: string): EnvParse {
  const lines: EnvLine[] = [];
  const entries = new Map<string, string>();
  let pos = 0;
  let lineNo = 1;
  while (pos < text.length) {
    const parsed = parseRecord(text, pos, lineNo);
    if (!parsed.ok) return parsed;
    const { record } = parsed;
    lines.push(record);
    if (record.kind === 'assignment') entries.set(record.key, record.value);
    lineNo += countNewlines(record.text) + (record.eol === '' ? 0 : 1);
    pos = parsed.end;
  }
  return { ok: true, entries, lines };
}

function parseRecord(text: string, start: number, line: number): Parsed {
  const physical = physicalLine(text, start);
  // A byte-order mark is not part of the first key.
  const bom = start === 0 && physical.content.startsWith('\uFEFF') ? '\uFEFF' : '';
  const content = physical.content.slice(bom.length);
  if (BLANK_OR_COMMENT.test(content)) {
    const kind = /^[ \t]*#/.test(content) ? 'comment' : 'blank';
    return { ok: true, record: { kind, line, text: physical.content, eol: physical.eol }, end: physical.end };
  }
  const m = KEY_START.exec(content);
  if (!m) return refuse(line, 'not a KEY=value line');
  const key = m[3]!;
  const afterKey = content.slice(m[0].length);
  if (afterKey === '' || afterKey.startsWith('#')) {
    const head = bom + content.slice(0, m[0].length - m[4]!.length);
    const tail = physical.content.slice(head.length);
    const record: EnvLine = {
      kind: 'bare',
      line,
      text: physical.content,
      eol: physical.eol,
      key,
      head,
      tail,
    };
    return { ok: true, record, end: physical.end };
  }
  if (!afterKey.startsWith('=')) return refuse(line, `expected "=" after ${key}`);
  const spaces = /^=[ \t]*/.exec(afterKey)![0];
  const valueStart = start + bom.length + m[0].length + spaces.length;
  const head = text.slice(start, valueStart);
  const quote = text[valueStart];
  if (quote === '"' || quote === "'") return parseQuoted(text, start, valueStart, { line, key, head, quote });
  return parseUnquoted(physical, valueStart - start, { line, key, head });
}

interface Physical {
  readonly content: string;
  readonly eol: string;
  readonly end: number;
}

function physicalLine(text: string, start: number): Physical {
  const nl = text.indexOf('\n', start);
  if (nl < 0) return { content: text.slice(start), eol: '', end: text.length };
  const crlf = nl > start && text[nl - 1] === '\r';
  return { content: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n', end: nl + 1 };
}

function parseUnquoted(
  physical: Physical,
  valueOffset: number,
  at: { line: number; key: string; head: string },
) {
  const rest = physical.content.slice(valueOffset);
  if (rest.startsWith('#')) {
    return refuse(
      at.line,
      `the value of ${at.key} starts with "#": python-dotenv reads it as the value, docker compose as a comment; quote it or remove it`,
    );
  }
  const comment = /[ \t]#/.exec(rest);
  const valuePart = comment ? rest.slice(0, comment.index) : rest;
  const value = valuePart.trimEnd();
  const record: EnvLine = {
    kind: 'assignment',
    line: at.line,
    text: physical.content,
    eol: physical.eol,
    key: at.key,
    value,
    quote: '',
    head: at.head,
    tail: rest.slice(value.length),
  };
  return { ok: true as const, record, end: physical.end };
}

function parseQuoted(
  text: string,
  start: number,
  valueStart: number,
  at: { line: number; key: string; head: string; quote: '"' | "'" },
): Parsed {
  const close = findClosingQuote(text, valueStart + 1, at.quote);
  if (close < 0)
    return refuse(at.line, `the value of ${at.key} opens a ${at.quote} quote that is never closed`);
  const after = physicalLine(text, close + 1);
  if (!BLANK_OR_COMMENT.test(after.content)) {
    return refuse(
      at.line + countNewlines(text.slice(start, close)),
      `unexpected text after the closing quote of ${at.key}`,
    );
  }
  const inner = text.slice(valueStart + 1, close).replace(/\r\n/g, '\n');
  const record: EnvLine = {
    kind: 'assignment',
    line: at.line,
    text: text.slice(start, close + 1) + after.content,
    eol: after.eol,
    key: at.key,
    value: at.quote === '"' ? decodeDoubleQuoted(inner) : decodeSingleQuoted(inner),
    quote: at.quote,
    head: at.head,
    tail: after.content,
  };
  return { ok: true, record, end: after.end };
}

/** Index of the closing quote, skipping the escapes python-dotenv honours; -1 when unterminated. */
function findClosingQuote(text: string, from: number, quote: '"' | "'"): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return i;
    if (c === '\\' && (quote === '"' || text[i + 1] === "'" || text[i + 1] === '\\')) i++;
  }
  return -1;
}

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

function decodeDoubleQuoted(inner: string): string {
  return inner.replace(/\\([\s\S])/g, (whole, c: string) => DOUBLE_ESCAPES[c] ?? whole);
}

function decodeSingleQuoted(inner: string): string {
  return inner.replace(/\\(['\\])/g, '$1');
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function refuse(line: number, problem: string): Refusal {
  return { ok: false, line, problem };
}

/**
 * Sets `key` to `value`: the last line setting it is rewritten keeping its indentation,
 * `export`, quoting style and inline comment; otherwise `KEY=value` is appended.
 */
export function setEnvVar(text: string, key: string, value: string): EnvEdit {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    return { ok: false, problem: `${JSON.stringify(key)} is not a variable name` };
  const parsed = parseEnvFile(text);
  if (!parsed.ok) return { ok: false, problem: `line ${parsed.line}: ${parsed.problem}` };
  const matches = parsed.lines.filter(
    (l): l is Extract<EnvLine, { key: string }> =>
      (l.kind === 'assignment' || l.kind === 'bare') && l.key === key,
  );
  const target = matches.at(-1);
  if (target === undefined) return append(text, key, value);
  const duplicates = matches.slice(0, -1).map((l) => l.line);
  if (target.kind === 'assignment' && target.value === value)
    return { ok: true, text, changed: false, duplicates };

  const encoded = encodeValue(value, target.kind === 'assignment' ? target.quote : '');
  if (encoded === undefined) return unwritable(key);
  const tail = encoded.quote === '' && /^[^ \t]/.test(target.tail) ? ` ${target.tail}` : target.tail;
  const head = target.kind === 'bare' ? `${target.head}=` : target.head;
  const replaced = head + encoded.text + tail;
  const out = parsed.lines.map((l) => (l === target ? replaced : l.text) + l.eol).join('');
  return { ok: true, text: out, changed: true, duplicates };
}

function append(text: string, key: string, value: string): EnvEdit {
  const encoded = encodeValue(value, '');
  if (encoded === undefined) return unwritable(key);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  return { ok: true, text: `${text}${separator}${key}=${encoded.text}${eol}`, changed: true, duplicates: [] };
}

function unwritable(key: string): EnvEdit {
  return {
    ok: false,
    problem: `the new value of ${key} cannot be written so that docker compose and python-dotenv both read it unchanged`,
  };
}

/** The preferred quoting if the value survives it unchanged in both readers, else the first that does. */
function encodeValue(value: string, preferred: EnvQuote): { quote: EnvQuote; text: string } | undefined {
  const order: EnvQuote[] = [preferred, ...(['', "'", '"'] as const).filter((q) => q !== preferred)];
  for (const quote of order) {
    if (quote === '' && SAFE_UNQUOTED.test(value)) return { quote, text: value };
    // Single quotes: no interpolation and no escapes in either reader.
    if (quote === "'" && !/['\\\r\n]/.test(value)) return { quote, text: `'${value}'` };
    // Double quotes interpolate `$` and decode escapes differently in the two readers: avoid both.
    if (quote === '"' && !/["\\$\r\n]/.test(value)) return { quote, text: `"${value}"` };
  }
  return undefined;
}
