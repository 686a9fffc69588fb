import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack's Web API caps request bodies; a runaway client should fail loudly, not eat memory. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Fields the WebClient sends as JSON strings inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type ParsedArgs =
  | { readonly kind: 'ok'; readonly args: Record<string, unknown> }
  | { readonly kind: 'invalid'; readonly error: 'invalid_form_data' | 'invalid_json' };

/**
 * Parses a Web API request the way Slack accepts it: form fields (JSON-looking fields decoded,
 * left as strings when they do not parse so the method can answer `invalid_blocks_format`) or a
 * JSON object; query-string fields are merged underneath.
 */
export function parseArgs(contentType: string | undefined, raw: string, query: URLSearchParams): ParsedArgs {
  const args: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return { kind: 'ok', args };
  if (type === 'application/json') {
    const parsed = tryJson(raw);
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { kind: 'invalid', error: 'invalid_json' };
    }
    return { kind: 'ok', args: { ...args, ...(parsed as Record<string, unknown>) } };
  }
  if (type !== 'application/x-www-form-urlencoded' && type !== '')
    return { kind: 'invalid', error: 'invalid_form_data' };
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_FIELDS.has(key) ? (tryJson(value) ?? value) : value;
  }
  return { kind: 'ok', args };
}

export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Reads an optional string argument; Slack treats absent and empty alike for most fields. */
export function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Slack's booleans arrive as `true`/`1` strings in forms and as booleans in JSON. */
export function boolArg(args: Record<string, unknown>, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}
