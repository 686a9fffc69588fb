import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mintTokenCache } from './cache.ts';
import { aadHandler, type RecordedRequest } from './server.ts';
import { AadState, type AccessTokenState, makeUser } from './state.ts';
import { loopbackCertificate } from './tls.ts';

export type { RecordedRequest } from './server.ts';
export type { AccessTokenState } from './state.ts';

export interface FakeAadOptions {
  /** Lifetime of a device code. Default 900 s, as Azure AD. */
  readonly deviceCodeExpiresInSec?: number;
  /** The polling interval handed to clients. Default 1 s (tests); Azure AD says 5. */
  readonly pollIntervalSec?: number;
  /** Text put into every device code and token issued (tests search logs for it). */
  readonly tokenMark?: string;
  /**
   * Where to listen; default 127.0.0.1 on a free port. Port 443 gives an authority without a
   * port, the one form MSAL Node and MSAL Python key their token caches alike by.
   */
  readonly listen?: { readonly host: string; readonly port: number };
}

export interface FakeAad {
  /** `127.0.0.1:PORT` (no port on 443), for MSAL's knownAuthorities. */
  readonly host: string;
  /** PEM of the certificate to trust (it is its own CA). */
  readonly ca: string;
  authority(tenantId: string): string;
  tokenUrl(tenantId: string): string;
  registerClient(clientId: string, opts?: { tenantId?: string }): void;
  /** Resolves with the next user code issued after this call (or the first pending one). */
  nextPendingCode(timeoutMs?: number): Promise<string>;
  approve(userCode: string, user?: { username?: string; name?: string }): void;
  deny(userCode: string): void;
  expire(userCode: string): void;
  slowDown(userCode: string, times: number): void;
  autoApprove(user?: { username?: string; name?: string } | false): void;
  /**
   * Every token issued so far stops working, as after the user changed their password: a refresh
   * answers `invalid_grant` (AADSTS50173). Tokens issued afterwards (a new sign-in) work.
   */
  revokeAllTokens(): void;
  /**
   * Every access token issued so far reaches the end of its hour: a client refreshes before it
   * uses one again (and learns then of a revocation). Until this, a revoked sign-in's access
   * token is still used, and Partner Center answers it 401.
   */
  expireAccessTokens(): void;
  /** What a resource server (the fake Partner Center) finds for a bearer token. */
  accessTokenState(token: string): AccessTokenState;
  mintTokenCache(opts: { clientId: string; tenantId: string; scope: string; username?: string }): string;
  requests(): readonly RecordedRequest[];
  stop(): Promise<void>;
}

/**
 * A local Azure AD for the device-code flow (RFC 8628) that the real @azure/msal-node accepts:
 * https with a certificate made at start-up, OpenID configuration, device code and token
 * endpoints with Azure AD's answers and error shapes.
 */
export async function startFakeAad(options: FakeAadOptions = {}): Promise<FakeAad> {
  const state = new AadState();
  state.tokenMark = options.tokenMark ?? '';
  const log: RecordedRequest[] = [];
  const listen = options.listen ?? { host: '127.0.0.1', port: 0 };
  const { cert, key } = await loopbackCertificate(listen.host);
  let origin = '';
  const server = createServer(
    { cert, key },
    aadHandler(
      state,
      {
        origin: () => origin,
        deviceCodeExpiresInSec: options.deviceCodeExpiresInSec ?? 900,
        pollIntervalSec: options.pollIntervalSec ?? 1,
      },
      log,
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = port === 443 ? listen.host : `${listen.host}:${port}`;
  origin = `https://${host}`;

  const waitForCode = async (fromIndex: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = state.issuedUserCodes[fromIndex];
      if (code !== undefined) return code;
      if (Date.now() > deadline)
        throw new Error(`fake Azure AD: no device code was requested within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  let consumed = 0;

  return {
    host,
    ca: cert,
    authority: (tenantId) => `${origin}/${tenantId}`,
    tokenUrl: (tenantId) => `${origin}/${tenantId}/oauth2/v2.0/token`,
    registerClient: (clientId, opts = {}) => {
      state.clients.set(clientId, opts);
    },
    nextPendingCode: async (timeoutMs = 10_000) => {
      const code = await waitForCode(consumed, timeoutMs);
      consumed++;
      return code;
    },
    approve: (userCode, user) => {
      const code = state.byUserCode(userCode);
      code.status = 'approved';
      code.user = makeUser(user);
    },
    deny: (userCode) => {
      state.byUserCode(userCode).status = 'denied';
    },
    expire: (userCode) => {
      state.byUserCode(userCode).status = 'expired';
    },
    slowDown: (userCode, times) => {
      state.byUserCode(userCode).slowDownsLeft = times;
    },
    autoApprove: (user = {}) => {
      state.autoApproveUser = user;
    },
    revokeAllTokens: () => {
      state.tokensValidFrom = Date.now();
      state.revocations++;
    },
    expireAccessTokens: () => {
      for (const grant of state.accessTokens.values()) grant.expired = true;
    },
    accessTokenState: (token) => state.accessTokenState(token),
    mintTokenCache: (opts) => mintTokenCache(state, origin, opts),
    requests: () => [...log],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
