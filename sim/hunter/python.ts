/** How Python prints values: `repr()` (Celery's result output) and `json.dumps()` (structlog). */

export type PyValue =
  | string
  | number
  | boolean
  | null
  | readonly PyValue[]
  | { readonly [key: string]: PyValue };

/** `repr(value)`: single quotes, True/False/None, `{'k': v}`. */
export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, PyValue>);
  return `{${entries.map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** Python picks single quotes unless the text holds one and no double quote. */
export function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** `json.dumps(value)` with its defaults: `", "` and `": "` separators, ASCII only. */
export function pyJson(value: PyValue): string {
  if (value === null || typeof value !== 'object') return asciiOnly(JSON.stringify(value));
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, PyValue>);
  return `{${entries.map(([k, v]) => `${asciiOnly(JSON.stringify(k))}: ${pyJson(v)}`).join(', ')}}`;
}

function asciiOnly(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
