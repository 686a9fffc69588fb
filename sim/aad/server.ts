import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AadState, type DeviceCode, makeUser, newUserCode } from './state.ts';
import { aadError, opaque, tokenResponse } from './tokens.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly grantType?: string;
}

export interface ServerOptions {
  readonly origin: () => string;
  readonly deviceCodeExpiresInSec: number;
  readonly pollIntervalSec: number;
}

type Json = Record<string, unknown>;

/** The endpoints MSAL uses: OpenID configuration, device code, token (device code and refresh grants). */
export function aadHandler(state: AadState, options: ServerOptions, log: RecordedRequest[]) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', options.origin());
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
    const grantType = form.get('grant_type') ?? undefined;
    log.push({ method: req.method ?? 'GET', path: url.pathname, ...(grantType ? { grantType } : {}) });
    const [, tenant = '', ...rest] = url.pathname.split('/');
    const route = rest.join('/');
    const send = (status: number, body: Json) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
      return send(200, openIdConfiguration(options.origin(), tenant));
    }
    if (req.method === 'POST' && route === 'oauth2/v2.0/devicecode')
      return send(...deviceCode(state, options, tenant, form));
    if (req.method === 'POST' && route === 'oauth2/v2.0/token')
      return send(...token(state, options, tenant, form));
    return send(404, aadError('invalid_request', 90002, `Route ${url.pathname} not found.`));
  };
}

function openIdConfiguration(origin: string, tenant: string): Json {
  const base = `${origin}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    issuer: `${base}/v2.0`,
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    tenant_region_scope: null,
  };
}

function deviceCode(
  state: AadState,
  options: ServerOptions,
  tenant: string,
  form: URLSearchParams,
): [number, Json] {
  const clientId = form.get('client_id') ?? '';
  const client = state.clients.get(clientId);
  if (!client) {
    return [
      400,
      aadError(
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      ),
    ];
  }
  if (client.tenantId && client.tenantId !== tenant) {
    return [400, aadError('invalid_request', 90002, `Tenant '${tenant}' not found.`)];
  }
  const scope = (form.get('scope') ?? '')
    .split(' ')
    .filter((s) => !['openid', 'profile', 'offline_access'].includes(s))
    .join(' ');
  const code: DeviceCode = {
    deviceCode: opaque('DAQABAAEAAAD', state.tokenMark),
    userCode: newUserCode(),
    clientId,
    tenantId: tenant,
    scope,
    expiresAt: Date.now() + options.deviceCodeExpiresInSec * 1000,
    status: 'pending',
    slowDownsLeft: 0,
  };
  state.codes.set(code.deviceCode, code);
  state.issuedUserCodes.push(code.userCode);
  if (state.autoApproveUser !== false) {
    code.status = 'approved';
    code.user = makeUser(state.autoApproveUser);
  }
  const verificationUri = `${options.origin()}/devicelogin`;
  return [
    200,
    {
      user_code: code.userCode,
      device_code: code.deviceCode,
      verification_uri: verificationUri,
      expires_in: options.deviceCodeExpiresInSec,
      interval: options.pollIntervalSec,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${code.userCode} to authenticate.`,
    },
  ];
}

function token(
  state: AadState,
  options: ServerOptions,
  tenant: string,
  form: URLSearchParams,
): [number, Json] {
  const grantType = form.get('grant_type');
  // RFC 8628 names the grant by its URN; MSAL (and Azure AD) use the short `device_code`.
  if (grantType === 'device_code' || grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
    return redeemDeviceCode(state, options, form);
  }
  if (grantType === 'refresh_token') return refresh(state, options, tenant, form);
  return [
    400,
    aadError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  ];
}

function redeemDeviceCode(state: AadState, options: ServerOptions, form: URLSearchParams): [number, Json] {
  const code = state.codes.get(form.get('device_code') ?? '');
  if (!code || code.clientId !== form.get('client_id')) {
    return [
      400,
      aadError(
        'invalid_grant',
        70000,
        'The provided value for the input parameter device_code is not valid.',
      ),
    ];
  }
  if (code.status === 'pending' && Date.now() > code.expiresAt) code.status = 'expired';
  if (code.slowDownsLeft > 0 && (code.status === 'pending' || code.status === 'approved')) {
    code.slowDownsLeft--;
    return [400, { ...aadError('slow_down', 70024, 'The client is polling too fast.'), error: 'slow_down' }];
  }
  switch (code.status) {
    case 'pending':
      return [
        400,
        aadError('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending.'),
      ];
    case 'denied':
      return [400, aadError('access_denied', 70019, 'The user declined the authorization request.')];
    case 'expired':
    case 'redeemed':
      return [400, aadError('expired_token', 70019, 'Verification code expired.')];
    case 'approved': {
      code.status = 'redeemed';
      return [
        200,
        issueTokens(state, options, code.clientId, code.tenantId, code.scope, code.user ?? makeUser()),
      ];
    }
  }
}

function refresh(
  state: AadState,
  options: ServerOptions,
  tenant: string,
  form: URLSearchParams,
): [number, Json] {
  const grant = state.refreshTokens.get(form.get('refresh_token') ?? '');
  if (!grant || grant.clientId !== form.get('client_id') || grant.tenantId !== tenant) {
    return [
      400,
      aadError('invalid_grant', 9002313, 'Invalid request. The refresh token is malformed or not valid.'),
    ];
  }
  if (grant.epoch < state.revocations) return [400, revokedGrant(grant.issuedAt, state.tokensValidFrom)];
  return [200, issueTokens(state, options, grant.clientId, grant.tenantId, grant.scope, grant.user)];
}

/**
 * What Azure AD answers a refresh after the user's password changed or their sessions were
 * revoked: `invalid_grant` with AADSTS50173 and suberror `bad_token` (MSAL Node throws an
 * InteractionRequiredAuthError with these; MSAL Python returns them in the result dict).
 */
function revokedGrant(issuedAt: number, validFrom: number): Json {
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, '+00:00');
  return {
    ...aadError(
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${stamp(issuedAt)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${stamp(validFrom)}'.`,
    ),
    suberror: 'bad_token',
  };
}

export function issueTokens(
  state: AadState,
  options: Pick<ServerOptions, 'origin'>,
  clientId: string,
  tenantId: string,
  scope: string,
  user: ReturnType<typeof makeUser>,
): Json {
  // Refresh tokens are not rotated away: a cache handed to Hunter keeps working after the bot refreshed.
  const refreshToken = opaque(`1.AR${randomUUID().slice(0, 4)}`, state.tokenMark);
  state.refreshTokens.set(refreshToken, {
    clientId,
    tenantId,
    scope,
    user,
    issuedAt: Date.now(),
    epoch: state.revocations,
  });
  const grant = {
    issuer: `${options.origin()}/${tenantId}/v2.0`,
    clientId,
    tenantId,
    scope,
    user,
    refreshToken,
  };
  const accessToken = opaque('eyJ0eXAiOiJKV1QiLCJub25jZSI6', state.tokenMark);
  state.accessTokens.set(accessToken, { epoch: state.revocations, expired: false });
  return tokenResponse(grant, accessToken);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += (chunk as Buffer).toString('utf8');
  return body;
}
