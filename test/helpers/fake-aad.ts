import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import type { LoginParams } from '../../src/auth/login.ts';
import { PLANTED } from './evidence.ts';

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

/**
 * A fake Azure AD for one test file, with a client registered and an undici Agent that trusts
 * its certificate (added trust: verification stays on), plus login parameters pointing at it.
 */
export function useFakeAad(clientId: string, tenantId: string) {
  let aad: FakeAad | undefined;
  let trust: Agent | undefined;
  beforeAll(async () => {
    aad = await startFakeAad({ pollIntervalSec: 0.05, tokenMark: PLANTED.aadTokenMark });
    aad.registerClient(clientId);
    trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
  });
  afterAll(async () => {
    await aad?.stop();
    await trust?.close();
  });
  const world = {
    get aad(): FakeAad {
      if (!aad) throw new Error('useFakeAad: the fake Azure AD is not started yet (use it inside a test)');
      return aad;
    },
    get trust(): Agent {
      if (!trust) throw new Error('useFakeAad: not started yet');
      return trust;
    },
    params: (overrides: Partial<LoginParams> = {}): LoginParams => ({
      clientId,
      tenantId,
      authority: world.aad.authority(tenantId),
      knownAuthorities: [world.aad.host],
      scope: PARTNER_CENTER_SCOPE,
      timeoutMs: 30_000,
      dispatcher: world.trust,
      slowDownMs: 50,
      ...overrides,
    }),
  };
  return world;
}
