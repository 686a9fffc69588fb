import { rootCertificates } from 'node:tls';
import { PublicClientApplication } from '@azure/msal-node';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { createNetworkModule } from '../../src/auth/network.ts';
import { pollUntil } from '../helpers/poll.ts';

const CLIENT = 'aad-sim-client';
const TENANT = 'aad-sim-tenant';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';
let aad: FakeAad;
let trust: Agent;

beforeAll(async () => {
  aad = await startFakeAad({ pollIntervalSec: 0.05 });
  aad.registerClient(CLIENT);
  trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
});
afterAll(async () => {
  await aad.stop();
  await trust.close();
});

/** Plain MSAL over plain undici: no slow_down handling, so the fake's answers surface as MSAL sees them. */
function pca() {
  return new PublicClientApplication({
    auth: { clientId: CLIENT, authority: aad.authority(TENANT), knownAuthorities: [aad.host] },
    system: {
      networkClient: createNetworkModule({
        timeoutMs: 5_000,
        signal: new AbortController().signal,
        dispatcher: trust,
        slowDownDelay: () => Promise.reject(new Error('slow_down passed through')),
      }),
    },
  });
}

async function deviceFlow(act: (userCode: string) => void) {
  let userCode = '';
  const result = pca().acquireTokenByDeviceCode({
    scopes: [SCOPE],
    deviceCodeCallback: (r) => {
      userCode = r.userCode;
    },
  });
  const issued = await aad.nextPendingCode();
  act(issued);
  return { result, issued, userCode: () => userCode };
}

describe('the fake Azure AD, as the real MSAL sees it', () => {
  it('keeps MSAL polling while authorization is pending, then returns tokens with an account', async () => {
    const { result, issued, userCode } = await deviceFlow(() => undefined);
    const polls = () => aad.requests().filter((r) => r.grantType === 'device_code').length;
    const before = polls();
    await pollUntil(() => (polls() >= before + 3 ? true : undefined), { what: 'three pending polls' });
    aad.approve(issued, { username: 'pat@contoso.example' });
    const tokens = await result;
    expect(userCode()).toBe(issued);
    expect(tokens?.account?.username).toBe('pat@contoso.example');
    expect(tokens?.account?.tenantId).toBe(TENANT);
    expect(tokens?.accessToken).toBeTruthy();
  });

  it.each([
    ['denied', (code: string) => aad.deny(code), /access_denied/],
    ['expired', (code: string) => aad.expire(code), /expired_token/],
  ])('surfaces a %s code as an MSAL error carrying the server error', async (_what, act, error) => {
    const { result } = await deviceFlow(act);
    await expect(result).rejects.toMatchObject({
      errorCode: 'post_request_failed',
      errorMessage: expect.stringMatching(error),
    });
  });

  it('answers slow_down, which plain MSAL does not retry (pc-verify handles it, see test/auth)', async () => {
    const { result } = await deviceFlow((code) => aad.slowDown(code, 1));
    await expect(result).rejects.toThrow();
    expect(aad.requests().some((r) => r.grantType === 'device_code')).toBe(true);
  });
});

describe('a revoked sign-in, as the real MSAL sees it', () => {
  it('fails the silent refresh with invalid_grant / AADSTS50173 (interaction required)', async () => {
    const app = pca();
    const pending = app.acquireTokenByDeviceCode({ scopes: [SCOPE], deviceCodeCallback: () => undefined });
    aad.approve(await aad.nextPendingCode());
    const signedIn = await pending;
    aad.revokeAllTokens();
    await expect(
      app.acquireTokenSilent({ account: signedIn!.account!, scopes: [SCOPE], forceRefresh: true }),
    ).rejects.toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'bad_token',
      errorMessage: expect.stringContaining('AADSTS50173'),
    });
  });
});
