import { randomBytes, randomUUID } from 'node:crypto';
import type { AadUser } from './tokens.ts';

export type CodeStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'redeemed';

export interface DeviceCode {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly scope: string;
  readonly expiresAt: number;
  status: CodeStatus;
  user?: AadUser;
  slowDownsLeft: number;
}

export interface RefreshGrant {
  readonly clientId: string;
  readonly tenantId: string;
  readonly scope: string;
  readonly user: AadUser;
  /** When it was issued (shown in AADSTS50173's message). */
  readonly issuedAt: number;
  /** The revocation epoch it was issued in: a revocation voids every grant of earlier epochs. */
  readonly epoch: number;
}

/** An access token as a resource server (Partner Center) checks it. */
export interface AccessGrant {
  /** The revocation epoch it was issued in: a revocation voids it at once for the resource. */
  readonly epoch: number;
  /** Its hour is over (`expireAccessTokens`): MSAL refreshes before using it again. */
  expired: boolean;
}

/** What a resource server finds for a bearer token. */
export type AccessTokenState = 'valid' | 'revoked' | 'expired' | 'unknown';

export const DEFAULT_USER = { username: 'ops.engineer@contoso.example', name: 'Ops Engineer' };

export function makeUser(user: { username?: string; name?: string } = {}): AadUser {
  return {
    username: user.username ?? DEFAULT_USER.username,
    name: user.name ?? DEFAULT_USER.name,
    oid: randomUUID(),
  };
}

/** Codes a person could type: 9 letters, like Azure AD's. */
export function newUserCode(): string {
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  return Array.from(randomBytes(9), (b) => letters[b % letters.length]).join('');
}

/** Everything the fake Azure AD remembers. */
export class AadState {
  readonly clients = new Map<string, { tenantId?: string }>();
  readonly codes = new Map<string, DeviceCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly accessTokens = new Map<string, AccessGrant>();
  readonly issuedUserCodes: string[] = [];
  autoApproveUser: { username?: string; name?: string } | false = false;
  /** Put into every device code and token issued, so a test can search for leaks of any of them. */
  tokenMark = '';
  /**
   * Azure AD's `TokensValidFrom` of every user: refresh tokens issued before it are refused with
   * AADSTS50173 (a password change or reset, an admin's "revoke sessions").
   */
  tokensValidFrom = 0;
  /** Counts revocations, so a grant issued in the same millisecond as one is still told apart. */
  revocations = 0;

  accessTokenState(token: string): AccessTokenState {
    const grant = this.accessTokens.get(token);
    if (!grant) return 'unknown';
    // Expiry first: it is what a client sees on its own (the cache's expires_on).
    if (grant.expired) return 'expired';
    return grant.epoch < this.revocations ? 'revoked' : 'valid';
  }

  byUserCode(userCode: string): DeviceCode {
    for (const code of this.codes.values()) if (code.userCode === userCode) return code;
    throw new Error(`fake Azure AD: no device code with user code ${userCode}`);
  }
}
