import { stripVTControlCharacters } from 'node:util';
/**
 * Reads what `celery result` prints — a Python literal (`{'status': 'skipped', 'n': 0, 'ok': True}`)
 * or, in newer Celery, indented JSON that may carry terminal colour codes — into plain values.
 * A hand-written parser of literals only: names other than True/False/None, operators and calls
 * are refused, never evaluated. Tuples and sets become arrays, dict keys become strings.
 */

export type LiteralParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: string };

/** Deeper nesting than this is not a task result; it also keeps the recursion bounded. */
const MAX_DEPTH = 64;

export function parsePythonLiteral(text: string): LiteralParse {
  const source = stripVTControlCharacters(text).trim();
  if (source === '') return { ok: false, problem: 'empty output' };
  const json = tryJson(source);
  if (json.ok) return json;
  const parser = new LiteralParser(source);
  try {
    const value = parser.value(0);
    parser.expectEnd();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof LiteralError) return { ok: false, problem: error.message };
    throw error;
  }
}

function tryJson(source: string): LiteralParse {
  try {
    const value: unknown = JSON.parse(source);
    return { ok: true, value };
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
}

class LiteralError extends Error {}

const NAMES: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', true],
  ['false', false],
  ['null', null],
  ['inf', Number.POSITIVE_INFINITY],
  ['nan', Number.NaN],
  // Python's json.dumps writes these for non-finite floats.
  ['Infinity', Number.POSITIVE_INFINITY],
  ['NaN', Number.NaN],
]);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

class LiteralParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === undefined) throw this.fail('the text ends where a value was expected');
    if (c === '{') return this.braces(depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.parenthesised(depth);
    if (c === '-' || c === '+') return this.signed();
    if (/[0-9.]/.test(c)) return this.number();
    if (/[A-Za-z_]/.test(c)) return this.nameOrString();
    if (c === '"' || c === "'") return this.strings('');
    throw this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.src.length)
      throw this.fail(`unexpected ${JSON.stringify(this.src[this.pos])} after the value`);
  }

  private braces(depth: number): unknown {
    this.pos++;
    this.skipSpace();
    if (this.eat('}')) return {};
    const first = this.value(depth + 1);
    this.skipSpace();
    if (!this.eat(':')) return this.rest([first], '}', depth);
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      // defineProperty: a key named "__proto__" is data, not a prototype change.
      Object.defineProperty(dict, this.keyOf(key), {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (this.endOfItem('}')) return dict;
      key = this.value(depth + 1);
      this.skipSpace();
      if (!this.eat(':')) throw this.fail('expected ":" after a dict key');
    }
  }

  private keyOf(key: unknown): string {
    if (typeof key === 'string') return key;
    if (typeof key === 'number' || typeof key === 'boolean' || key === null) return JSON.stringify(key);
    throw this.fail('a dict key that is not a string, number, bool or None');
  }

  private sequence(close: string, depth: number): unknown[] {
    this.pos++;
    this.skipSpace();
    if (this.eat(close)) return [];
    return this.rest([this.value(depth + 1)], close, depth);
  }

  /** The items after the first one, up to `close`; a trailing comma is allowed. */
  private rest(items: unknown[], close: string, depth: number): unknown[] {
    while (!this.endOfItem(close)) items.push(this.value(depth + 1));
    return items;
  }

  /** After an item: `,` (then maybe the end) or the closing bracket. True when the container ended. */
  private endOfItem(close: string): boolean {
    this.skipSpace();
    if (this.eat(close)) return true;
    if (!this.eat(',')) throw this.fail(`expected "," or "${close}"`);
    this.skipSpace();
    return this.eat(close);
  }

  /** `()` and `(x,)` are tuples, `(x)` is just x. */
  private parenthesised(depth: number): unknown {
    this.pos++;
    this.skipSpace();
    if (this.eat(')')) return [];
    const first = this.value(depth + 1);
    this.skipSpace();
    if (this.eat(')')) return first;
    return this.rest([first], ')', depth);
  }

  private signed(): number {
    const negative = this.src[this.pos] === '-';
    this.pos++;
    this.skipSpace();
    const c = this.src[this.pos] ?? '';
    let n: number;
    const name = /[A-Za-z_]/.test(c) ? this.identifier() : undefined;
    if (/[0-9.]/.test(c)) n = this.number();
    else if (name !== undefined && typeof NAMES.get(name) === 'number') n = NAMES.get(name) as number;
    else throw this.fail('a sign must be followed by a number');
    return negative ? -n : n;
  }

  private number(): number {
    const m = /^(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?/.exec(this.src.slice(this.pos));
    if (!m) throw this.fail('a malformed number');
    this.pos += m[0].length;
    if (/[A-Za-z0-9_.]/.test(this.src[this.pos] ?? '')) throw this.fail('a malformed number');
    return Number(m[0].replace(/_/g, ''));
  }

  private nameOrString(): unknown {
    const start = this.pos;
    const name = this.identifier();
    const next = this.src[this.pos];
    if ((next === '"' || next === "'") && /^[uUbBrR]{1,2}$/.test(name)) return this.strings(name);
    if (NAMES.has(name)) return NAMES.get(name);
    this.pos = start;
    if (next === '(') throw this.fail(`a call to ${JSON.stringify(name)} (code is never evaluated)`);
    throw this.fail(`the name ${JSON.stringify(name)} is not a literal (code is never evaluated)`);
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (!m) throw this.fail('expected a value');
    this.pos += m[0].length;
    return m[0];
  }

  /** One string, or adjacent strings which Python concatenates. */
  private strings(prefix: string): string {
    let out = this.string(prefix.toLowerCase().includes('r'));
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const m = /^[uUbBrR]{0,2}(?=['"])/.exec(this.src.slice(this.pos));
      if (!m) {
        this.pos = save;
        return out;
      }
      this.pos += m[0].length;
      out += this.string(m[0].toLowerCase().includes('r'));
    }
  }

  private string(raw: boolean): string {
    const quote = this.src[this.pos]!;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw this.fail('a string that is never closed');
      if (c === '\n') throw this.fail('a line break inside a string');
      this.pos++;
      if (c === quote) return out;
      if (c !== '\\') out += c;
      else if (raw) out += `\\${this.src[this.pos++] ?? ''}`;
      else out += this.escape();
    }
  }

  private escape(): string {
    const c = this.src[this.pos];
    if (c === undefined) throw this.fail('a string that is never closed');
    this.pos++;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    if (/[0-7]/.test(c)) {
      const digits = c + (/^[0-7]{0,2}/.exec(this.src.slice(this.pos))?.[0] ?? '');
      this.pos += digits.length - 1;
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (width === 0) {
      if (c === 'N') throw this.fail('a named escape (\\N{...}) is not supported');
      return `\\${c}`; // Python keeps unknown escapes as written.
    }
    const hex = this.src.slice(this.pos, this.pos + width);
    if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw this.fail(`a malformed \\${c} escape`);
    this.pos += width;
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff) throw this.fail(`a malformed \\${c} escape`);
    return String.fromCodePoint(code);
  }

  private skipSpace(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private eat(c: string): boolean {
    if (this.src[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private fail(what: string): LiteralError {
    return new LiteralError(`not a Python literal: ${what} at offset ${this.pos}`);
  }
}
