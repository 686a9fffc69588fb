import { randomBytes, randomUUID } from 'node:crypto';

export interface AadUser {
  readonly username: string;
  readonly name: string;
  /** Object id (`oid`, `uid` of client_info). */
  readonly oid: string;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT (alg none): MSAL reads id_token claims without checking a signature. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

export function opaque(prefix: string, mark = ''): string {
  return `${prefix}.${mark}${randomBytes(24).toString('base64url')}`;
}

export interface TokenGrant {
  readonly issuer: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly scope: string;
  readonly user: AadUser;
  readonly refreshToken: string;
}

/** The token response Azure AD sends: tokens, expiry, and `client_info` so MSAL can build the account. */
export function tokenResponse(grant: TokenGrant, accessToken: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    token_type: 'Bearer',
    scope: `${grant.scope} openid profile offline_access`,
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: accessToken,
    refresh_token: grant.refreshToken,
    id_token: unsignedJwt({
      aud: grant.clientId,
      iss: grant.issuer,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: grant.user.name,
      oid: grant.user.oid,
      preferred_username: grant.user.username,
      sub: randomUUID(),
      tid: grant.tenantId,
      ver: '2.0',
    }),
    client_info: b64url({ uid: grant.user.oid, utid: grant.tenantId }),
  };
}

/** Azure AD's error body shape, with an AADSTS code in the description. */
export function aadError(error: string, aadsts: number, description: string): Record<string, unknown> {
  return {
    error,
    error_description: `AADSTS${aadsts}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [aadsts],
    timestamp: new Date().toISOString().replace('T', ' ').replace('Z', 'Z'),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  };
}
