import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/observability/bolt-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    secrets,
    destination: { write: (l: string) => void lines.push(l) },
  });
  return { log, lines, text: () => lines.join('') };
}

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln';

describe('the bot logger', () => {
  it('writes one JSON object per line: a fixed message and its metadata', () => {
    const { log, lines } = capture();
    log.info({ runId: 'r1', env: 'staging' }, 'run finished');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      app: 'pc-verify',
      runId: 'r1',
      env: 'staging',
      msg: 'run finished',
    });
  });

  it('redacts known secrets, secret-named fields and token shapes in messages, fields and errors', () => {
    const { log, text } = capture(['s3cr3t-signing-value']);
    log.info(
      { token: 'xoxb-123-abc', nested: { access_token: 'at-value-1' }, url: 'postgres://u:pw123456@db/x' },
      'call',
    );
    log.warn(`signing secret s3cr3t-signing-value and Bearer ${JWT}`);
    log.error({ err: new Error(`refresh failed: refresh_token=rt-value-2 ${JWT}`) }, 'failed');
    log.info({ detail: 'password=hunter2 and xapp-1-A0-secret' }, 'form');
    const out = text();
    for (const secret of [
      'xoxb-123-abc',
      'at-value-1',
      'pw123456',
      's3cr3t-signing-value',
      JWT,
      'rt-value-2',
      'hunter2',
      'xapp-1-A0-secret',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('refresh failed');
  });

  it('gives Bolt a logger that never writes debug output (the WebClient logs request bodies there)', () => {
    const { log, lines } = capture();
    const bolt = boltLogger(log);
    bolt.setLevel('debug' as never);
    bolt.debug('http request body: {"text":"sign in with code ABCDEFGHJ"}');
    bolt.warn('http request failed', 'retrying');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      component: 'slack',
      msg: 'http request failed retrying',
    });
  });
});
