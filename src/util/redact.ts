/**
 * Keeps secrets out of Slack and the logs. A redactor replaces every known secret (and its JSON-
 * and URL-escaped forms) and everything that looks like a credential by shape: JWTs, bearer
 * tokens, Slack tokens, URL passwords, and the values of token/password fields in JSON, Python
 * reprs, forms and `KEY=value` lines. Applying it twice changes nothing more.
 */

export const REDACTED = '[redacted]';

/** Shorter secrets would match ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

/** Field names whose values are credentials (matched case-insensitively, also as a name's suffix). */
export const SECRET_FIELD_NAMES = [
  'access_token',
  'refresh_token',
  'id_token',
  'device_code',
  'user_code',
  'client_secret',
  'client_assertion',
  'password',
  'passwd',
  'secret',
  'api_key',
  'apikey',
  'private_key',
  'signing_secret',
  'token',
] as const;

const NAME = `[\\w.-]*(?:${SECRET_FIELD_NAMES.join('|')})`;

type Rule = readonly [pattern: RegExp, replacement: string];

const RULES: readonly Rule[] = [
  // `"access_token": "…"` (JSON) and `'access_token': '…'` (Python repr): keep the quotes.
  [new RegExp(`(["'])(${NAME})\\1(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1$2$1$3"${REDACTED}"`],
  [new RegExp(`(["'])(${NAME})\\1(\\s*:\\s*)'(?:[^'\\\\]|\\\\.)*'`, 'gi'), `$1$2$1$3'${REDACTED}'`],
  // `password="…"`, `password='…'`, `password=…` in forms, query strings, env and logfmt lines.
  [
    new RegExp(
      `(^|[\\s?&;,{(])(${NAME})=("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|[^\\s&"',;)}]+)`,
      'gim',
    ),
    `$1$2=${REDACTED}`,
  ],
  // The same inside a JSON string that holds JSON: `\"password\": \"…\"`.
  [
    new RegExp(`(\\\\")(${NAME})\\\\"(\\s*:\\s*)\\\\"(?:[^\\\\]|\\\\[^"])*\\\\"`, 'gi'),
    `$1$2\\"$3\\"${REDACTED}\\"`,
  ],
  // Prose says "Bearer token"; a credential is longer.
  [/\bBearer\s+[\w.~+/=-]{8,}/gi, `Bearer ${REDACTED}`],
  [/(\bauthorization["']?\s*[:=]\s*["']?Basic\s+)[\w+/=]+/gi, `$1${REDACTED}`],
  // A JWT (header.payload.signature; unsigned ones have an empty signature).
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED],
  [/\bxox[a-z]-[\w-]+|\bxoxe\.xox[a-z]-[\w-]+|\bxapp-[\w-]+/g, REDACTED],
  // The password of any URL with credentials: postgres://user:pass@host, redis://:pass@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi, `$1:${REDACTED}@`],
];

export type Redactor = (text: string) => string;

/** A redactor for these secrets; it keeps its own copy, so make a new one when secrets change. */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const known = secretPattern(secrets);
  return (text) => {
    let out = known ? text.replace(known, REDACTED) : text;
    for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
    return out;
  };
}

function secretPattern(secrets: Iterable<string>): RegExp | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || REDACTED.includes(secret))
      continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  if (forms.size === 0) return undefined;
  // Longest first, so a secret containing another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PINO_FIELDS = [...SECRET_FIELD_NAMES, 'authorization', 'cookie'];

/**
 * Paths for pino's `redact` option (`{ paths: redactPaths, censor: REDACTED }`): the secret
 * fields at the top level and up to two levels down, and the headers that carry credentials.
 * pino's wildcards match one level, so deeper objects rely on the text redactor.
 */
export const redactPaths: readonly string[] = [
  ...PINO_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  ...['headers', 'req.headers', 'request.headers', '*.headers'].flatMap((h) => [
    `${h}.authorization`,
    `${h}.cookie`,
    `${h}["x-slack-signature"]`,
  ]),
];

/** Every string inside a value (Block Kit JSON, say) passed through `redact`; the shape stays. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
