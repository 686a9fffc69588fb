import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMsalLogin, type DeviceCodeHandoff } from '../../src/auth/login.ts';
import { translator } from '../../src/i18n/index.ts';
import { useFakeAad } from '../helpers/fake-aad.ts';
import { pollUntil } from '../helpers/poll.ts';

// How a login that does not succeed is reported: fast, specific, and without a code or token.

const CLIENT = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const TENANT = 'fabrikam-tenant';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

const fake = useFakeAad(CLIENT, TENANT);
const params = fake.params;

const noSignal = () => new AbortController().signal;

/** The user code this test's login handed over (tests share one fake, so not `nextPendingCode`). */
const codeOf = (handoffs: readonly DeviceCodeHandoff[]) =>
  pollUntil(() => handoffs[0]?.userCode, { what: 'the device-code handoff' });
const shown = (outcome: object) => JSON.stringify(outcome);

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a login whose code cannot be handed over', () => {
  it.each([
    ['rejects', async () => Promise.reject(new Error('chat.postMessage: channel_not_found'))],
    [
      'throws',
      () => {
        throw new Error('terminal closed');
      },
    ],
  ])('stops at once when the handoff %s, instead of polling until the timeout', async (_how, handoff) => {
    // A login that went on polling would last its 2 minutes, past the test's own limit.
    const outcome = await createMsalLogin().deviceCode(params({ timeoutMs: 120_000 }), handoff, noSignal());
    expect(outcome).toMatchObject({ kind: 'error', detail: expect.stringMatching(/could not be handed/) });
    expect(outcome.kind !== 'success' && outcome.hint).toMatch(/direct message/);
  });
});

describe('an Azure AD that cannot be reached', () => {
  it('names an untrusted certificate and how to fake.trust it, without turning checks off', async () => {
    const outcome = await createMsalLogin().deviceCode(
      params({ dispatcher: undefined }),
      () => undefined,
      noSignal(),
    );
    expect(outcome).toMatchObject({
      kind: 'error',
      detail: expect.stringMatching(/certificate is not trusted/),
    });
    expect(outcome.kind !== 'success' && outcome.hint).toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  it('says it in the deployment’s language: Turkish with `language: tr`', async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    const outcome = await createMsalLogin(translator('tr')).deviceCode(
      params({ authority: `https://${host}/${TENANT}`, knownAuthorities: [host] }),
      () => undefined,
      noSignal(),
    );
    expect(outcome).toMatchObject({
      kind: 'error',
      detail: "Azure AD'ye erişilemedi: bağlantı reddedildi (ECONNREFUSED)",
    });
    expect(outcome.kind !== 'success' && outcome.hint).toMatch(/^Bu makineden Azure AD'ye erişilemiyor/);
  });

  it('names a refused connection and points at the authority in the config', async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    const outcome = await createMsalLogin().deviceCode(
      params({ authority: `https://${host}/${TENANT}`, knownAuthorities: [host] }),
      () => undefined,
      noSignal(),
    );
    expect(outcome).toMatchObject({ kind: 'error', detail: expect.stringContaining('ECONNREFUSED') });
    expect(outcome.kind !== 'success' && outcome.hint).toMatch(/auth\.authority/);
  });

  it('tells silent acquisition failures from an unreachable host apart from a bad cache', async () => {
    const cache = fake.aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE });
    const home = Object.values(JSON.parse(cache).Account as Record<string, { home_account_id: string }>)[0]!
      .home_account_id;
    const host = `127.0.0.1:${await closedPort()}`;
    const unreachable = await createMsalLogin().silent(
      params({ authority: `https://${host}/${TENANT}`, knownAuthorities: [host] }),
      cache,
      home,
      noSignal(),
    );
    expect(unreachable).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
    expect(!unreachable.ok && unreachable.hint).toMatch(/auth\.authority/);
  });
});

describe('silent acquisition from a cache Azure AD no longer honours', () => {
  it('fails with invalid_grant and the runbook hint when the refresh token is unknown', async () => {
    const cache = JSON.parse(
      fake.aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE }),
    ) as Record<string, Record<string, { secret?: string; home_account_id?: string }>>;
    for (const rt of Object.values(cache.RefreshToken ?? {})) rt.secret = '1.AR-revoked-token';
    const home = Object.values(cache.Account ?? {})[0]!.home_account_id!;
    const outcome = await createMsalLogin().silent(params(), JSON.stringify(cache), home, noSignal());
    expect(outcome).toMatchObject({ ok: false, detail: expect.stringContaining('invalid_grant') });
    expect(!outcome.ok && outcome.hint).toMatch(/cache was not created/);
    expect(shown(outcome)).not.toContain('revoked-token');
  });
});

describe('what a failed login shows', () => {
  it('reports the login timeout as expired, not as the last "pending" answer', async () => {
    const outcome = await createMsalLogin().deviceCode(
      params({ timeoutMs: 1_000 }),
      () => undefined,
      noSignal(),
    );
    expect(outcome.kind).toBe('expired');
    expect(outcome.kind !== 'success' && outcome.detail).not.toMatch(/pending/);
  });

  it('stops within a second when cancelled during a slow_down wait', async () => {
    const controller = new AbortController();
    const handoffs: DeviceCodeHandoff[] = [];
    const login = createMsalLogin().deviceCode(
      params({ slowDownMs: 60_000 }),
      (h) => void handoffs.push(h),
      controller.signal,
    );
    const userCode = await codeOf(handoffs);
    fake.aad.slowDown(userCode, 1);
    const polls = () => fake.aad.requests().filter((r) => r.grantType === 'device_code').length;
    const before = polls();
    await pollUntil(() => (polls() > before ? true : undefined), { what: 'the slow_down answer' });
    // The slow-down wait is a minute, past the test's own limit: only the cancel can end it.
    controller.abort();
    expect((await login).kind).toBe('cancelled');
  });

  it('is cancelled at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await createMsalLogin().deviceCode(params(), () => undefined, controller.signal);
    expect(outcome.kind).toBe('cancelled');
  });

  it.each([
    ['declined', (code: string) => fake.aad.deny(code)],
    ['expired', (code: string) => fake.aad.expire(code)],
  ])('never shows the user code when %s', async (kind, act) => {
    const handoffs: DeviceCodeHandoff[] = [];
    const login = createMsalLogin().deviceCode(params(), (h) => void handoffs.push(h), noSignal());
    const userCode = await codeOf(handoffs);
    act(userCode);
    const outcome = await login;
    expect(outcome.kind).toBe(kind);
    expect(handoffs[0]?.userCode).toBe(userCode);
    expect(shown(outcome)).not.toContain(userCode);
    // What may be shown: Azure AD's error name and AADSTS code, nothing that came from the person's code.
    expect(outcome.kind !== 'success' && outcome.detail).toMatch(/^Azure AD: [a-z_]+ \(AADSTS\d+\)$/);
  });
});
