import { describe, expect, it } from 'vitest';
import { createMsalLogin, type DeviceCodeHandoff } from '../../src/auth/login.ts';
import { useFakeAad } from '../helpers/fake-aad.ts';

const CLIENT = '11111111-2222-4333-8444-555555555555';
const TENANT = 'contoso-tenant';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

const fake = useFakeAad(CLIENT, TENANT);
const params = fake.params;

/** Starts a login and returns the user code the fake Azure AD issued for it. */
async function startLogin(p = params(), signal = new AbortController().signal) {
  const handoffs: DeviceCodeHandoff[] = [];
  const outcome = createMsalLogin().deviceCode(p, (h) => void handoffs.push(h), signal);
  const userCode = await fake.aad.nextPendingCode();
  return { outcome, userCode, handoffs };
}

describe('device-code login with the real MSAL against the fake Azure AD', () => {
  it('succeeds when the person approves, handing over the code and returning a masked account', async () => {
    const { outcome, userCode, handoffs } = await startLogin();
    fake.aad.approve(userCode, { username: 'ops.engineer@contoso.example' });
    const result = await outcome;
    expect(result).toMatchObject({ kind: 'success', account: 'o***@c***.example' });
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({ userCode, verificationUri: expect.stringContaining(fake.aad.host) });
    expect(handoffs[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('reports a declined sign-in', async () => {
    const { outcome, userCode } = await startLogin();
    fake.aad.deny(userCode);
    const result = await outcome;
    expect(result.kind).toBe('declined');
    expect(JSON.stringify(result)).not.toContain(userCode);
  });

  it('reports an expired code', async () => {
    const { outcome, userCode } = await startLogin();
    fake.aad.expire(userCode);
    expect((await outcome).kind).toBe('expired');
  });

  it('stops when the run is cancelled while waiting', async () => {
    const controller = new AbortController();
    const { outcome } = await startLogin(params({ timeoutMs: 120_000 }), controller.signal);
    controller.abort();
    // Nobody approves and the code outlives the test: only the cancel can end this login.
    expect((await outcome).kind).toBe('cancelled');
  });

  it('honours slow_down: keeps polling the same code, waiting the slow-down before each retry, then succeeds', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const { outcome, userCode } = await startLogin({ ...params({ slowDownMs: 300 }), sleep });
    fake.aad.slowDown(userCode, 2);
    fake.aad.approve(userCode);
    expect((await outcome).kind).toBe('success');
    // Two slow_down answers, two added waits of slowDownMs — measured by what was asked, not by a stopwatch.
    expect(waits).toEqual([300, 300]);
    const polls = fake.aad.requests().filter((r) => r.grantType === 'device_code');
    expect(polls.length).toBeGreaterThanOrEqual(3);
  });

  it('calls a wrong client id misconfigured, with the Azure AD code and the runbook hint', async () => {
    const result = await createMsalLogin().deviceCode(
      params({ clientId: '99999999-0000-4000-8000-000000000000' }),
      () => undefined,
      new AbortController().signal,
    );
    expect(result).toMatchObject({ kind: 'misconfigured', detail: expect.stringContaining('AADSTS700016') });
    expect(result.kind !== 'success' && result.hint).toMatch(
      /app registration.*Partner Center API permissions/,
    );
  });

  it('gives up at the login timeout', async () => {
    const result = await createMsalLogin().deviceCode(
      params({ timeoutMs: 1_000 }),
      () => undefined,
      new AbortController().signal,
    );
    expect(result.kind).toBe('expired');
  });
});

describe('silent acquisition', () => {
  it('refreshes from a cache another process wrote, and refuses an unknown account', async () => {
    const cache = fake.aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE });
    const account = Object.values(
      JSON.parse(cache).Account as Record<string, { home_account_id: string }>,
    )[0]!;
    const login = createMsalLogin();
    expect(
      await login.silent(params(), cache, account.home_account_id, new AbortController().signal),
    ).toEqual({ ok: true });
    expect(fake.aad.requests().at(-1)?.grantType).toBe('refresh_token');
    const unknown = await login.silent(params(), cache, 'nobody.nowhere', new AbortController().signal);
    expect(unknown.ok).toBe(false);
  });
});
