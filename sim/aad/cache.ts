import { issueTokens } from './server.ts';
import type { AadState } from './state.ts';
import { makeUser } from './state.ts';

/**
 * A serialized token cache in MSAL's unified schema, as if a device-code login had happened:
 * for tests that need a cache (Phase 3) without a person. Keys follow MSAL Node's layout
 * (environment = host with port); MSAL finds entries by their fields.
 */
export function mintTokenCache(
  state: AadState,
  origin: string,
  opts: { clientId: string; tenantId: string; scope: string; username?: string },
): string {
  const user = makeUser(opts.username ? { username: opts.username } : {});
  const tokens = issueTokens(state, { origin: () => origin }, opts.clientId, opts.tenantId, opts.scope, user);
  const environment = new URL(origin).host;
  const home = `${user.oid}.${opts.tenantId}`;
  const now = Math.floor(Date.now() / 1000);
  const target = String(tokens.scope).toLowerCase();
  const base = { home_account_id: home, environment, client_id: opts.clientId };
  return JSON.stringify({
    Account: {
      [`${home}-${environment}-${opts.tenantId}`]: {
        home_account_id: home,
        environment,
        realm: opts.tenantId,
        local_account_id: user.oid,
        username: user.username,
        name: user.name,
        authority_type: 'MSSTS',
        client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: opts.tenantId })).toString(
          'base64url',
        ),
      },
    },
    IdToken: {
      [`${home}-${environment}-idtoken-${opts.clientId}-${opts.tenantId}-`]: {
        ...base,
        credential_type: 'IdToken',
        realm: opts.tenantId,
        secret: tokens.id_token,
      },
    },
    AccessToken: {
      [`${home}-${environment}-accesstoken-${opts.clientId}-${opts.tenantId}-${target}--`]: {
        ...base,
        credential_type: 'AccessToken',
        realm: opts.tenantId,
        target,
        secret: tokens.access_token,
        cached_at: String(now),
        expires_on: String(now + 3599),
        extended_expires_on: String(now + 3599),
        token_type: 'Bearer',
      },
    },
    RefreshToken: {
      [`${home}-${environment}-refreshtoken-${opts.clientId}--`]: {
        ...base,
        credential_type: 'RefreshToken',
        secret: tokens.refresh_token,
      },
    },
    AppMetadata: {
      [`appmetadata-${environment}-${opts.clientId}`]: { client_id: opts.clientId, environment },
    },
  });
}
