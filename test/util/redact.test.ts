import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactPaths } from '../../src/util/redact.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ';
const UNSIGNED_JWT = 'eyJhbGciOiJub25lIn0.eyJvaWQiOiJ1c2VyIn0.';

describe('createRedactor', () => {
  const redact = createRedactor(['s3cr3t-client-value', 'p@ss/word"x', 'abc', '', 'redacted']);

  it('replaces each known secret, including its JSON- and URL-escaped forms', () => {
    expect(redact('client secret is s3cr3t-client-value, twice: s3cr3t-client-value')).toBe(
      `client secret is ${REDACTED}, twice: ${REDACTED}`,
    );
    expect(redact(JSON.stringify({ note: 'p@ss/word"x' }))).not.toContain('word');
    expect(redact(`?q=${encodeURIComponent('p@ss/word"x')}`)).toBe(`?q=${REDACTED}`);
  });

  it('ignores secrets shorter than 4 characters and ones that would break the marker', () => {
    expect(redact('abc and the word redacted stay')).toBe('abc and the word redacted stay');
  });

  it('redacts JWTs, bearer tokens, Basic credentials and Slack tokens by shape', () => {
    const text = [
      `id token ${JWT}`,
      `unsigned ${UNSIGNED_JWT} end`,
      'Authorization: Bearer 0.AAAAbbbbCCCC-dddd_eeee.ffff',
      'authorization: Basic dXNlcjpwYXNzd29yZA==',
      'bot xoxb-1234-5678-abcdEFGH app xapp-1-A0B1C2-123-abcdef user xoxp-1-2-3 rotated xoxe.xoxp-1-abc',
      'the Bearer token flow is described below',
    ].join('\n');
    expect(redact(text)).toBe(
      [
        `id token ${REDACTED}`,
        `unsigned ${REDACTED} end`,
        `Authorization: Bearer ${REDACTED}`,
        `authorization: Basic ${REDACTED}`,
        `bot ${REDACTED} app ${REDACTED} user ${REDACTED} rotated ${REDACTED}`,
        'the Bearer token flow is described below',
      ].join('\n'),
    );
  });

  it('redacts token and password fields in JSON, Python reprs, nested JSON and forms', () => {
    const json = JSON.stringify({
      token_type: 'Bearer',
      access_token: 'opaque-access',
      refresh_token: 'opaque-refresh',
      id_token: 'opaque-id',
      expires_in: 3599,
      device_code: 'DAQABAAEAAA',
      user_code: 'FQK5HW3UF',
      client_secret: 'cs',
    });
    const out = redact(json);
    expect(JSON.parse(out)).toEqual({
      token_type: 'Bearer',
      access_token: REDACTED,
      refresh_token: REDACTED,
      id_token: REDACTED,
      expires_in: 3599,
      device_code: REDACTED,
      user_code: REDACTED,
      client_secret: REDACTED,
    });
    expect(redact("{'access_token': 'abc123', 'password': \"pw\", 'status': 'ok'}")).toBe(
      `{'access_token': '${REDACTED}', 'password': "${REDACTED}", 'status': 'ok'}`,
    );
    const nested = JSON.stringify({ body: JSON.stringify({ refresh_token: 'rt-value', ok: true }) });
    expect(JSON.parse(JSON.parse(redact(nested)).body)).toEqual({ refresh_token: REDACTED, ok: true });
    expect(redact('grant_type=refresh_token&refresh_token=0.AXYZ&client_id=abc')).toBe(
      `grant_type=refresh_token&refresh_token=${REDACTED}&client_id=abc`,
    );
    expect(redact('token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001')).toBe(`token=${REDACTED}&team_id=T0001`);
  });

  it('redacts KEY=value secrets in env and logfmt lines, keeping other values', () => {
    const env = [
      'HUNTER_PARTNER_CENTER_CLIENT_SECRET=abc-def',
      'POSTGRES_PASSWORD="hunter two"',
      'HUNTER_PARTNER_CENTER_ENABLED=true',
      "event=login password='x y' user=bob",
    ].join('\n');
    expect(redact(env)).toBe(
      [
        `HUNTER_PARTNER_CENTER_CLIENT_SECRET=${REDACTED}`,
        `POSTGRES_PASSWORD=${REDACTED}`,
        'HUNTER_PARTNER_CENTER_ENABLED=true',
        `event=login password=${REDACTED} user=bob`,
      ].join('\n'),
    );
  });

  it('redacts passwords in connection URLs but keeps user, host and database', () => {
    expect(redact('postgres://dyn365hunter:hunter2@postgres:5432/dyn365hunter')).toBe(
      `postgres://dyn365hunter:${REDACTED}@postgres:5432/dyn365hunter`,
    );
    expect(redact('redis://:pw@redis:6379/0 and https://example.com:8443/x@y')).toBe(
      `redis://:${REDACTED}@redis:6379/0 and https://example.com:8443/x@y`,
    );
  });

  it('is idempotent and leaves ordinary text alone', () => {
    const text = `token=abc&x=1 "password": "p" ${JWT} postgres://u:p@h/db Bearer abcdefghij s3cr3t-client-value`;
    const once = redact(text);
    expect(redact(once)).toBe(once);
    const plain =
      'Task app.core.tasks.sync[4f1c] succeeded in 0.001s: {"status": "skipped", "success_count": 0}';
    expect(redact(plain)).toBe(plain);
  });

  it('works with no secrets at all', () => {
    expect(createRedactor([])('password=x')).toBe(`password=${REDACTED}`);
  });
});

describe('redactPaths', () => {
  it('is accepted by pino and censors secret fields at the top level, nested, and in headers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: [...redactPaths], censor: REDACTED } }, sink);
    logger.info(
      {
        password: 'top',
        result: { access_token: 'nested', expires_in: 10 },
        login: { response: { refresh_token: 'deep', ok: true } },
        req: { headers: { authorization: 'Bearer abc', 'x-slack-signature': 'v0=abc', host: 'h' } },
      },
      'logged in',
    );
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      password: REDACTED,
      result: { access_token: REDACTED, expires_in: 10 },
      login: { response: { refresh_token: REDACTED, ok: true } },
      req: { headers: { authorization: REDACTED, 'x-slack-signature': REDACTED, host: 'h' } },
      msg: 'logged in',
    });
    expect(lines[0]).not.toMatch(/top|nested|deep|abc/);
  });
});
