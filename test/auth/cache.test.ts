import { PublicClientApplication } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { createMsalLogin } from '../../src/auth/login.ts';
import { createNetworkModule } from '../../src/auth/network.ts';
import { useFakeAad } from '../helpers/fake-aad.ts';
import { pollUntil } from '../helpers/poll.ts';

// The serialized cache is the one thing Phase 2 hands to Hunter (MSAL Python reads it), so it
// is read here with a plain JSON reader of the unified schema, not with MSAL.

const CLIENT = 'c4f1e2d3-0b9a-4c8d-9e7f-6a5b4c3d2e1f';
const TENANT = 'northwind-tenant';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

const fake = useFakeAad(CLIENT, TENANT);
const params = fake.params;

type Entry = Record<string, unknown>;
type UnifiedCache = Partial<
  Record<'Account' | 'IdToken' | 'AccessToken' | 'RefreshToken', Record<string, Entry>>
>;

/** The unified schema as any MSAL reads it: sections of entries, found by their fields. */
function readUnified(text: string) {
  const cache = JSON.parse(text) as UnifiedCache;
  const entries = (section: keyof UnifiedCache) => Object.values(cache[section] ?? {});
  return {
    accounts: entries('Account'),
    idTokens: entries('IdToken'),
    accessTokens: entries('AccessToken'),
    refreshTokens: entries('RefreshToken'),
  };
}

async function signIn(username: string) {
  const handoffs: string[] = [];
  const login = createMsalLogin().deviceCode(
    params(),
    (h) => void handoffs.push(h.userCode),
    new AbortController().signal,
  );
  fake.aad.approve(await pollUntil(() => handoffs[0], { what: 'the device-code handoff' }), { username });
  const outcome = await login;
  if (outcome.kind !== 'success') throw new Error(`login did not succeed: ${outcome.kind} ${outcome.detail}`);
  return outcome;
}

describe('the token cache a device-code login leaves', () => {
  it('holds the account, an access token for the scope and a refresh token for this app and tenant', async () => {
    const outcome = await signIn('lee@northwind.example');
    const cache = readUnified(outcome.cache);

    expect(cache.accounts).toEqual([
      expect.objectContaining({
        home_account_id: outcome.homeAccountId,
        realm: TENANT,
        username: 'lee@northwind.example',
        authority_type: 'MSSTS',
        environment: fake.aad.host,
      }),
    ]);
    expect(cache.accessTokens).toEqual([
      expect.objectContaining({
        credential_type: 'AccessToken',
        client_id: CLIENT,
        realm: TENANT,
        home_account_id: outcome.homeAccountId,
        target: expect.stringContaining(SCOPE),
        secret: expect.any(String),
        expires_on: expect.stringMatching(/^\d+$/),
      }),
    ]);
    expect(cache.refreshTokens).toEqual([
      expect.objectContaining({
        credential_type: 'RefreshToken',
        client_id: CLIENT,
        home_account_id: outcome.homeAccountId,
        secret: expect.any(String),
      }),
    ]);
    expect(cache.idTokens).toEqual([expect.objectContaining({ client_id: CLIENT, realm: TENANT })]);
    expect(outcome.account).toBe('l***@n***.example');
  });
});

describe('a minted cache (tests of Phase 3 use it instead of a person)', () => {
  it('has the same sections and fields as the cache a real login leaves', async () => {
    const real = readUnified((await signIn('kim@northwind.example')).cache);
    const minted = readUnified(fake.aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE }));
    const fields = (entries: Entry[]) => Object.keys(entries[0] ?? {}).sort();
    // tenantProfiles is MSAL Node's own addition to Account; the other readers do not need it.
    expect(fields(minted.accounts)).toEqual(fields(real.accounts).filter((f) => f !== 'tenantProfiles'));
    expect(fields(minted.accessTokens)).toEqual(fields(real.accessTokens));
    expect(fields(minted.refreshTokens)).toEqual(fields(real.refreshTokens));
    expect(fields(minted.idTokens)).toEqual(fields(real.idTokens));
  });

  it('is read by a fresh MSAL client: its access token is served from the cache, its refresh token works', async () => {
    const minted = fake.aad.mintTokenCache({
      clientId: CLIENT,
      tenantId: TENANT,
      scope: SCOPE,
      username: 'robin@northwind.example',
    });
    const pca = new PublicClientApplication({
      auth: { clientId: CLIENT, authority: fake.aad.authority(TENANT), knownAuthorities: [fake.aad.host] },
      system: {
        networkClient: createNetworkModule({
          timeoutMs: 5_000,
          signal: new AbortController().signal,
          dispatcher: fake.trust,
        }),
      },
    });
    pca.getTokenCache().deserialize(minted);
    const [account, ...others] = await pca.getTokenCache().getAllAccounts();
    expect(others).toEqual([]);
    expect(account?.username).toBe('robin@northwind.example');

    const cachedSecret = readUnified(minted).accessTokens[0]?.secret;
    const cached = await pca.acquireTokenSilent({ account: account!, scopes: [SCOPE] });
    expect(cached.accessToken).toBe(cachedSecret);
    expect(cached.fromCache).toBe(true);

    const refreshed = await pca.acquireTokenSilent({
      account: account!,
      scopes: [SCOPE],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(cachedSecret);
    expect(fake.aad.requests().at(-1)?.grantType).toBe('refresh_token');
  });
});
