import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { pollUntil } from '../helpers/poll.ts';

// The fake Azure AD on the wire: the answers and error bodies other clients (MSAL Python in
// Hunter, curl in a runbook) would see, independent of how MSAL Node reads them.

const CLIENT = 'wire-client';
const TENANT = 'wire-tenant';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

let aad: FakeAad;
let trust: Agent;
beforeAll(async () => {
  aad = await startFakeAad({ pollIntervalSec: 0.05, deviceCodeExpiresInSec: 600 });
  aad.registerClient(CLIENT);
  aad.registerClient('tenant-bound-client', { tenantId: 'home-tenant' });
  trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
});
afterAll(async () => {
  await aad.stop();
  await trust.close();
});

type Json = Record<string, unknown>;

async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: Json }> {
  const res = await request(`https://${aad.host}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    dispatcher: trust,
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Json };
}

const deviceCode = (clientId = CLIENT, tenant = TENANT) =>
  post(`/${tenant}/oauth2/v2.0/devicecode`, { client_id: clientId, scope: `${SCOPE} offline_access` });

const poll = (code: string, clientId = CLIENT) =>
  post(`/${TENANT}/oauth2/v2.0/token`, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    client_id: clientId,
    device_code: code,
  });

const refresh = (token: string, clientId = CLIENT) =>
  post(`/${TENANT}/oauth2/v2.0/token`, {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: token,
  });

function expectAzureError(body: Json, error: string, aadsts: number) {
  expect(body).toMatchObject({
    error,
    error_codes: [aadsts],
    error_description: expect.stringMatching(new RegExp(`^AADSTS${aadsts}: `)),
    correlation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    timestamp: expect.any(String),
  });
}

function decodeJwtClaims(jwt: string): Json {
  const [header = '', claims = ''] = jwt.split('.');
  expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'none' });
  return JSON.parse(Buffer.from(claims, 'base64url').toString()) as Json;
}

async function issuedCode() {
  const { status, body } = await deviceCode();
  expect(status).toBe(200);
  return { deviceCode: String(body.device_code), userCode: String(body.user_code), body };
}

describe('fake Azure AD: discovery and TLS', () => {
  it('serves the OpenID configuration for a tenant with its endpoints under that tenant', async () => {
    const res = await request(`${aad.authority(TENANT)}/v2.0/.well-known/openid-configuration`, {
      dispatcher: trust,
    });
    const body = (await res.body.json()) as Json;
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({
      token_endpoint: aad.tokenUrl(TENANT),
      device_authorization_endpoint: `${aad.authority(TENANT)}/oauth2/v2.0/devicecode`,
      issuer: `${aad.authority(TENANT)}/v2.0`,
    });
  });

  it('is refused by a client that does not trust its certificate (no verification is switched off)', async () => {
    await expect(
      request(`https://${aad.host}/${TENANT}/v2.0/.well-known/openid-configuration`),
    ).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});

describe('fake Azure AD: device authorization (RFC 8628 §3.2)', () => {
  it('issues a device code with the fields and message Azure AD sends', async () => {
    const { body, userCode } = await issuedCode();
    expect(body).toMatchObject({
      verification_uri: expect.stringMatching(/^https:\/\//),
      expires_in: 600,
      interval: 0.05,
    });
    expect(userCode).toMatch(/^[A-Z]{9}$/);
    expect(body.message).toEqual(expect.stringContaining(userCode));
    expect(body.message).toEqual(expect.stringContaining(String(body.verification_uri)));
    expect(await aad.nextPendingCode()).toBe(userCode);
  });

  it('refuses an unknown client id with AADSTS700016', async () => {
    const { status, body } = await deviceCode('no-such-app');
    expect(status).toBe(400);
    expectAzureError(body, 'unauthorized_client', 700016);
    expect(body.device_code).toBeUndefined();
  });

  it('refuses a client registered in another tenant with AADSTS90002', async () => {
    const { status, body } = await deviceCode('tenant-bound-client', 'other-tenant');
    expect(status).toBe(400);
    expectAzureError(body, 'invalid_request', 90002);
  });

  it('gives up waiting for a code that is never requested', async () => {
    const fresh = await startFakeAad();
    try {
      await expect(fresh.nextPendingCode(50)).rejects.toThrow(/no device code/);
    } finally {
      await fresh.stop();
    }
  });
});

describe('fake Azure AD: polling the token endpoint (RFC 8628 §3.4-3.5)', () => {
  it('answers pending, then slow_down as often as asked, then tokens once approved', async () => {
    const code = await issuedCode();
    const pending = await poll(code.deviceCode);
    expect(pending.status).toBe(400);
    expectAzureError(pending.body, 'authorization_pending', 70016);

    aad.slowDown(code.userCode, 2);
    expect((await poll(code.deviceCode)).body.error).toBe('slow_down');
    expect((await poll(code.deviceCode)).body.error).toBe('slow_down');
    expect((await poll(code.deviceCode)).body.error).toBe('authorization_pending');

    aad.approve(code.userCode, { username: 'pat@contoso.example', name: 'Pat' });
    const granted = await poll(code.deviceCode);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      token_type: 'Bearer',
      scope: expect.stringContaining(SCOPE),
      expires_in: expect.any(Number),
      ext_expires_in: expect.any(Number),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const claims = decodeJwtClaims(String(granted.body.id_token));
    expect(claims).toMatchObject({ aud: CLIENT, tid: TENANT, preferred_username: 'pat@contoso.example' });
    const clientInfo = JSON.parse(Buffer.from(String(granted.body.client_info), 'base64url').toString());
    expect(clientInfo).toEqual({ uid: claims.oid, utid: TENANT });
  });

  it('redeems a code once: a second redemption is refused', async () => {
    const code = await issuedCode();
    aad.approve(code.userCode);
    expect((await poll(code.deviceCode)).status).toBe(200);
    const again = await poll(code.deviceCode);
    expect(again.status).toBe(400);
    expect(again.body.access_token).toBeUndefined();
  });

  it('answers access_denied after the person declines', async () => {
    const code = await issuedCode();
    aad.deny(code.userCode);
    const denied = await poll(code.deviceCode);
    expect(denied.status).toBe(400);
    expect(denied.body).toMatchObject({ error: 'access_denied' });
    expect(String(denied.body.error_description)).toMatch(/^AADSTS\d+: /);
  });

  it('answers expired_token when a code is expired by hand or by its lifetime', async () => {
    const code = await issuedCode();
    aad.expire(code.userCode);
    expect((await poll(code.deviceCode)).body.error).toBe('expired_token');

    const shortLived = await startFakeAad({ pollIntervalSec: 0.05, deviceCodeExpiresInSec: 0.2 });
    const shortTrust = new Agent({ connect: { ca: [shortLived.ca] } });
    try {
      shortLived.registerClient(CLIENT);
      const at = (path: string, form: Record<string, string>) =>
        request(`https://${shortLived.host}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
          dispatcher: shortTrust,
        }).then(async (r) => (await r.body.json()) as Json);
      const issued = await at(`/${TENANT}/oauth2/v2.0/devicecode`, { client_id: CLIENT, scope: SCOPE });
      const form = {
        grant_type: 'device_code',
        client_id: CLIENT,
        device_code: String(issued.device_code),
      };
      await pollUntil(
        async () =>
          (await at(`/${TENANT}/oauth2/v2.0/token`, form)).error === 'expired_token' ? true : undefined,
        { timeoutMs: 5_000, what: 'the code to expire' },
      );
    } finally {
      await shortLived.stop();
      await shortTrust.close();
    }
  });

  it('refuses a device code issued to another client', async () => {
    const code = await issuedCode();
    aad.approve(code.userCode);
    const stolen = await poll(code.deviceCode, 'tenant-bound-client');
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
  });
});

describe('fake Azure AD: refresh tokens', () => {
  it('keeps a refresh token valid after use and refuses unknown ones with invalid_grant', async () => {
    const code = await issuedCode();
    aad.approve(code.userCode);
    const first = String((await poll(code.deviceCode)).body.refresh_token);

    const refreshed = await refresh(first);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      access_token: expect.any(String),
      client_info: expect.any(String),
    });
    // Hunter holds a copy of the cache: the token it holds must survive the bot's own refresh.
    expect((await refresh(first)).status).toBe(200);
    expect((await refresh(String(refreshed.body.refresh_token))).status).toBe(200);

    const unknown = await refresh('1.AR-not-a-token');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_grant');
    expect(String(unknown.body.error_description)).toMatch(/^AADSTS\d+: /);

    expect((await refresh(first, 'tenant-bound-client')).body.error).toBe('invalid_grant');
  });

  it('refuses every refresh token issued before a revocation with AADSTS50173, and accepts a new sign-in', async () => {
    const code = await issuedCode();
    aad.approve(code.userCode);
    const before = String((await poll(code.deviceCode)).body.refresh_token);
    aad.revokeAllTokens();

    const refused = await refresh(before);
    expect(refused.status).toBe(400);
    expectAzureError(refused.body, 'invalid_grant', 50173);
    expect(refused.body.suberror).toBe('bad_token');
    expect(String(refused.body.error_description)).toContain('changed or reset their password');

    const again = await issuedCode();
    aad.approve(again.userCode);
    const after = String((await poll(again.deviceCode)).body.refresh_token);
    expect((await refresh(after)).status).toBe(200);
    expect((await refresh(before)).status).toBe(400);
  });

  it('mints a cache whose refresh token the token endpoint accepts', async () => {
    const cache = JSON.parse(
      aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE }),
    ) as Record<string, Record<string, Json>>;
    const [rt] = Object.values(cache.RefreshToken ?? {});
    expect(rt).toMatchObject({ client_id: CLIENT, credential_type: 'RefreshToken' });
    expect((await refresh(String(rt?.secret))).status).toBe(200);
  });
});

describe('fake Azure AD: request log', () => {
  it('records method, path and grant type, and never a code or token', async () => {
    const code = await issuedCode();
    await poll(code.deviceCode);
    const log = aad.requests();
    expect(log.at(-2)).toEqual({ method: 'POST', path: `/${TENANT}/oauth2/v2.0/devicecode` });
    expect(log.at(-1)).toEqual({
      method: 'POST',
      path: `/${TENANT}/oauth2/v2.0/token`,
      grantType: 'urn:ietf:params:oauth:grant-type:device_code',
    });
    const text = JSON.stringify(log);
    expect(text).not.toContain(code.deviceCode);
    expect(text).not.toContain(code.userCode);
  });
});
