import { describe, expect, it } from 'vitest';
import { parseWorkerLogs } from '../../src/hunter/worker-logs.ts';
import { judgeLogs } from '../../src/watch/judge.ts';

const AT = '2026-11-28T12:00:00.000Z';
const task = (id: string) => `app.core.tasks.sync_partner_center_referrals_task[${id}]`;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function sync(id: string, body: string[], end: string): string[] {
  return [
    `worker-1  | [2026-11-28 12:00:00,000: INFO/Beat] Scheduler: Sending due task sync-partner-center-referrals (app.core.tasks.sync_partner_center_referrals_task)`,
    `worker-1  | [2026-11-28 12:00:00,001: INFO/MainProcess] Task ${task(id)} received`,
    ...body.map((l) => `worker-1  | ${l}`),
    `worker-1  | ${end}`,
  ];
}

const judge = (lines: string[]) => judgeLogs(parseWorkerLogs(lines.join('\n')), AT);

describe('judging the worker lines since the last probe', () => {
  it('names Partner Center out of reach from the httpx exception', () => {
    const found = judge(
      sync(
        A,
        [
          '[2026-11-28 12:00:00,010: WARNING/MainProcess] {"error": "ECONNRESET", "error_type": "RemoteProtocolError", "event": "partner_center_fetch_failed", "level": "error"}',
        ],
        `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(A)} raised unexpected: RemoteProtocolError('Server disconnected without sending a response.')\nTraceback (most recent call last):\n  File "/app/app/core/partner_center/client.py", line 88, in get_referrals\nhttpx.RemoteProtocolError: Server disconnected without sending a response.`,
      ),
    );
    expect(found).toMatchObject({ ok: false, cause: { kind: 'unreachable' }, syncAt: AT });
    expect(found.ok ? '' : found.cause.detail).toContain('httpx.RemoteProtocolError');
  });

  it('judges the newest finished sync: a failure before a fix is history, a sync still running is not yet news', () => {
    const failed = sync(
      A,
      [],
      `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(A)} raised unexpected: TokenAcquisitionError('Token acquisition failed: invalid_grant')`,
    );
    const fixed = sync(
      B,
      [],
      `[2026-11-28 12:01:00,020: INFO/ForkPoolWorker-1] Task ${task(B)} succeeded in 0.1s: {'status': 'success'}`,
    );
    expect(judge([...failed, ...fixed])).toMatchObject({ ok: true });
    const running = fixed.slice(0, 2);
    expect(judge([...failed, ...running])).toMatchObject({ ok: false, cause: { kind: 'token' } });
  });

  it('says a quiet interval is fine, and banners are not failures', () => {
    expect(
      judge([
        "/usr/local/lib/python3.11/site-packages/celery/platforms.py:829: SecurityWarning: You're running the worker with superuser privileges: this is",
      ]),
    ).toEqual({ ok: true, evidence: 'none', detail: 'no sync since the last probe' });
  });

  it('names a 401 from Partner Center (httpx, requests) as the sign-in, not "an exception"', () => {
    const url = 'https://api.partnercenter.microsoft.com/v1.0/engagements/referrals';
    const httpx = judge(
      sync(
        A,
        [
          `[2026-11-28 12:00:00,010: WARNING/MainProcess] {"error": "Client error '401 Unauthorized' for url '${url}'", "error_type": "HTTPStatusError", "event": "partner_center_fetch_failed", "level": "error"}`,
        ],
        `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(A)} raised unexpected: HTTPStatusError("Client error '401 Unauthorized' for url '${url}'")\nTraceback (most recent call last):\n  File "/app/app/core/partner_center/client.py", line 88, in get_referrals\nhttpx.HTTPStatusError: Client error '401 Unauthorized' for url '${url}'`,
      ),
    );
    expect(httpx).toMatchObject({ ok: false, cause: { kind: 'token' } });
    expect(httpx.ok ? '' : httpx.cause.detail).toMatch(
      /Partner Center refused the sign-in \(HTTP 401: .*revoked/,
    );
    expect(httpx.ok ? '' : httpx.cause.detail).toContain('httpx.HTTPStatusError');

    const requests = judge(
      sync(
        B,
        [],
        `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(B)} raised unexpected: HTTPError('401 Client Error: Unauthorized for url: ${url}')\nTraceback (most recent call last):\n  File "/app/app/core/partner_center/client.py", line 41, in get_referrals\nrequests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: ${url}`,
      ),
    );
    expect(requests).toMatchObject({ ok: false, cause: { kind: 'token' } });
    expect(requests.ok ? '' : requests.cause.detail).toContain('requests.exceptions.HTTPError: 401');
  });

  it('names a 403 from Partner Center (requests, httpx) as the sign-in: the account’s role or the app’s consent', () => {
    const url = 'https://api.partnercenter.microsoft.com/v1.0/engagements/referrals';
    const requests = judge(
      sync(
        A,
        [],
        `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(A)} raised unexpected: HTTPError('403 Client Error: Forbidden for url: ${url}')\nTraceback (most recent call last):\n  File "/app/app/core/partner_center/client.py", line 41, in get_referrals\nrequests.exceptions.HTTPError: 403 Client Error: Forbidden for url: ${url}`,
      ),
    );
    const httpx = judge(
      sync(
        B,
        [
          `[2026-11-28 12:00:00,010: WARNING/MainProcess] {"error": "Client error '403 Forbidden' for url '${url}'", "error_type": "HTTPStatusError", "event": "partner_center_fetch_failed", "level": "error"}`,
        ],
        `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(B)} raised unexpected: HTTPStatusError("Client error '403 Forbidden' for url '${url}'")\nTraceback (most recent call last):\n  File "/app/app/core/partner_center/client.py", line 88, in get_referrals\nhttpx.HTTPStatusError: Client error '403 Forbidden' for url '${url}'`,
      ),
    );
    for (const [found, raised] of [
      [requests, 'requests.exceptions.HTTPError: 403 Client Error: Forbidden'],
      [httpx, "httpx.HTTPStatusError: Client error '403 Forbidden'"],
    ] as const) {
      expect(found).toMatchObject({ ok: false, cause: { kind: 'token' } });
      const detail = found.ok ? '' : found.cause.detail;
      expect(detail).toMatch(/^Partner Center refused the sign-in \(HTTP 403: .*consent was removed\)/);
      expect(detail).toContain(raised);
    }
  });

  it('says which when the AADSTS code tells: revoked, expired, MFA, consent', () => {
    const cases = [
      ['50173', /revoked/],
      ['700082', /expired/],
      ['50076', /multi-factor/],
      ['50079', /multi-factor/],
      ['65001', /consent/],
    ] as const;
    for (const [code, words] of cases) {
      const found = judge(
        sync(
          A,
          [
            `[2026-11-28 12:00:00,010: WARNING/MainProcess] {"error": "invalid_grant: AADSTS${code}: something", "event": "partner_center_token_acquisition_failed", "level": "error"}`,
          ],
          `[2026-11-28 12:00:00,020: ERROR/ForkPoolWorker-1] Task ${task(A)} raised unexpected: TokenAcquisitionError('Token acquisition failed: invalid_grant')`,
        ),
      );
      expect(found).toMatchObject({ ok: false, cause: { kind: 'token' } });
      expect(found.ok ? '' : found.cause.detail).toMatch(words);
    }
  });
});
