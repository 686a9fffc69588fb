import { describe, expect, it } from 'vitest';
import { classifyFailure, loginFailure, maskUsername } from '../../src/auth/outcome.ts';
import { loginParamsFor } from '../../src/auth/params.ts';
import { DEFAULT_SCOPE } from '../../src/config/expect.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';

function envWithAuth(auth: Record<string, unknown> = {}) {
  const config = parseConfig(
    JSON.stringify({
      environments: {
        dev: {
          tier: 'dev',
          api: { baseUrl: 'http://127.0.0.1:8000' },
          database: { url: 'postgresql://hunter@127.0.0.1/hunter' },
          driver: { kind: 'compose', projectDir: '/srv/hunter' },
          auth,
        },
      },
    }),
    'test',
    {},
  );
  return config.environments.get('dev' as EnvName)!;
}

const ids = (extra: Record<string, string> = {}) =>
  new Map(
    Object.entries({
      HUNTER_PARTNER_CENTER_CLIENT_ID: '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913',
      HUNTER_PARTNER_CENTER_TENANT_ID: 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
      ...extra,
    }),
  );

describe('login parameters from the config and the env file', () => {
  it('logs in as Hunter would: its client and tenant, the public authority, the Partner Center scope', () => {
    const built = loginParamsFor(envWithAuth(), ids());
    expect(built).toEqual({
      ok: true,
      params: {
        clientId: '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913',
        tenantId: 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
        authority: 'https://login.microsoftonline.com/b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
        knownAuthorities: [],
        scope: DEFAULT_SCOPE,
        timeoutMs: 15 * 60_000,
      },
    });
  });

  it('takes the scope from the env file, and the config over both', () => {
    const fromEnvFile = loginParamsFor(
      envWithAuth(),
      ids({ HUNTER_PARTNER_CENTER_SCOPE: 'api://hunter/.default' }),
    );
    expect(fromEnvFile.ok && fromEnvFile.params.scope).toBe('api://hunter/.default');
    const fromConfig = loginParamsFor(
      envWithAuth({ scope: 'api://override/.default' }),
      ids({ HUNTER_PARTNER_CENTER_SCOPE: 'api://hunter/.default' }),
    );
    expect(fromConfig.ok && fromConfig.params.scope).toBe('api://override/.default');
  });

  it('fills the tenant into a sovereign-cloud authority and keeps its known authorities and timeout', () => {
    const built = loginParamsFor(
      envWithAuth({
        authority: 'https://login.microsoftonline.us/{tenantId}',
        knownAuthorities: ['login.microsoftonline.us'],
        loginTimeout: '5m',
      }),
      ids(),
    );
    expect(built.ok && built.params).toMatchObject({
      authority: 'https://login.microsoftonline.us/b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
      knownAuthorities: ['login.microsoftonline.us'],
      timeoutMs: 5 * 60_000,
    });
  });

  it('refuses missing ids and a tenant id that would change the authority path, naming no value', () => {
    const missing = loginParamsFor(envWithAuth(), new Map([['HUNTER_PARTNER_CENTER_CLIENT_ID', 'abc']]));
    expect(missing).toEqual({ ok: false, problem: expect.stringContaining('_TENANT_ID') });
    const injected = loginParamsFor(
      envWithAuth(),
      ids({ HUNTER_PARTNER_CENTER_TENANT_ID: 'evil/../common' }),
    );
    expect(injected).toEqual({ ok: false, problem: expect.not.stringContaining('evil') });
  });
});

describe('login outcomes a person reads', () => {
  it('masks the signed-in account enough to recognise it, not to copy it', () => {
    expect(maskUsername('ops.engineer@contoso.example')).toBe('o***@c***.example');
    expect(maskUsername('pat@mail.contoso.com')).toBe('p***@m***.com');
    expect(maskUsername('no-at-sign')).toBe('n***');
  });

  it.each([
    [{ error: 'access_denied', codes: [70019] }, 'post_request_failed', 'declined'],
    [{ error: 'expired_token', codes: [70019] }, 'post_request_failed', 'expired'],
    [{ error: 'unauthorized_client', codes: [700016] }, 'unknown_error', 'misconfigured'],
    [{ error: 'invalid_client', codes: [] }, 'unknown_error', 'misconfigured'],
    [{ error: 'invalid_request', codes: [90002] }, 'unknown_error', 'misconfigured'],
    [undefined, 'user_timeout_reached', 'expired'],
    [undefined, 'device_code_expired', 'expired'],
    [undefined, 'endpoints_resolution_error', 'error'],
  ] as const)('classifies %j with MSAL %s as %s', (serverError, msalCode, kind) => {
    expect(classifyFailure(serverError, msalCode, false)).toBe(kind);
  });

  it('calls anything after a cancel cancelled, whatever Azure AD said last', () => {
    expect(classifyFailure({ error: 'access_denied', codes: [70019] }, 'post_request_failed', true)).toBe(
      'cancelled',
    );
  });

  it('gives the runbook hint for a misconfigured app with the AADSTS code in the detail', () => {
    const failure = loginFailure({
      cancelled: false,
      serverError: { error: 'unauthorized_client', codes: [700016] },
      transport: undefined,
      msalCode: 'unknown_error',
    });
    expect(failure).toEqual({
      kind: 'misconfigured',
      detail: 'Azure AD: unauthorized_client (AADSTS700016)',
      hint: expect.stringMatching(
        /^Device flow errors mean the Azure AD app registration or credentials are wrong: check the app registration.*Partner Center API permissions, then run the flow again\.$/,
      ),
    });
  });
});
