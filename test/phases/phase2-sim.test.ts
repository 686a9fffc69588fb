import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import type { DeviceCodeHandoff } from '../../src/auth/login.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import { prepareSession } from '../../src/engine/prepare-session.ts';
import type { RunEvent } from '../../src/engine/run-events.ts';
import { runVerification } from '../../src/engine/run-phases.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';

const CLIENT = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
const TENANT = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

let db: TestDatabase;
let aad: FakeAad;
let trust: Agent;
let sim: HunterSim | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
  aad = await startFakeAad({ pollIntervalSec: 0.05 });
  aad.registerClient(CLIENT, { tenantId: TENANT });
  trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
});
afterAll(async () => {
  await Promise.all([aad.stop(), trust.close(), db.drop()]);
});
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function verifyAll(approve: (userCode: string) => void, policy: Record<string, unknown> = {}) {
  sim = await startHunterSim({
    databaseUrl: db.url,
    clientId: CLIENT,
    tenantId: TENANT,
    scope: SCOPE,
    taskDelayMs: 20,
    aad: { tokenUrl: (t) => aad.tokenUrl(t), ca: aad.ca },
  });
  const config = parseConfig(
    JSON.stringify({
      environments: {
        staging: {
          tier: 'staging',
          api: { baseUrl: sim.apiUrl, readyTimeout: '10s' },
          database: { url: db.url },
          driver: {
            kind: 'compose',
            projectDir: sim.projectDir,
            host: sim.dockerHost,
            commandTimeout: '10s',
          },
          policy,
          auth: {
            authority: `https://${aad.host}/{tenantId}`,
            knownAuthorities: [aad.host],
            loginTimeout: '30s',
          },
        },
      },
    }),
    'test',
    {},
  );
  const events: RunEvent[] = [];
  const handoffs: DeviceCodeHandoff[] = [];
  const session = await prepareSession({
    env: config.environments.get('staging' as EnvName)!,
    observer: (e) => void events.push(e),
    signal: new AbortController().signal,
    dispatcher: trust,
    handoff: async (h) => {
      handoffs.push(h);
      approve(h.userCode);
    },
  });
  const report = await runVerification({
    ctx: session.ctx,
    runId: 'run-p2' as RunId,
    phase2: session.phase2,
  });
  return { report, events, handoffs };
}

describe('Phase 2 end to end: real MSAL, fake Azure AD, the Hunter simulator', () => {
  it('passes all four phases and leaves a cache Hunter can use', async () => {
    const { report, handoffs } = await verifyAll((code) =>
      aad.approve(code, { username: 'ops@contoso.example' }),
    );
    expect(report.verdict).toBe('PASS');
    expect(report.canTurnOn).toBe(true);
    expect(report.phases[2]?.checks.map((c) => [c.id, c.status])).toEqual([
      ['auth.device_code', 'pass'],
      ['auth.cache_installed', 'pass'],
      ['auth.silent', 'pass'],
    ]);
    expect(handoffs).toHaveLength(1);

    // An independent reader of MSAL's unified cache schema (plain JSON, not MSAL).
    const installed = sim!.tokenCacheFile()!;
    expect(installed.mode & 0o777).toBe(0o600);
    const cache = JSON.parse(installed.content) as Record<string, Record<string, Record<string, string>>>;
    const accounts = Object.values(cache.Account ?? {});
    const accessTokens = Object.values(cache.AccessToken ?? {});
    const refreshTokens = Object.values(cache.RefreshToken ?? {});
    expect(accounts).toEqual([expect.objectContaining({ realm: TENANT, username: 'ops@contoso.example' })]);
    expect(accessTokens).toEqual([
      expect.objectContaining({
        client_id: CLIENT,
        realm: TENANT,
        credential_type: 'AccessToken',
        target: expect.stringContaining(SCOPE),
      }),
    ]);
    expect(refreshTokens).toEqual([
      expect.objectContaining({ client_id: CLIENT, credential_type: 'RefreshToken' }),
    ]);
    expect(refreshTokens[0]!.home_account_id).toBe(accounts[0]!.home_account_id);
  });

  it('fails at auth.device_code with the runbook hint when the person declines, and never turns the flag ON', async () => {
    const { report } = await verifyAll((code) => aad.deny(code));
    expect(report.verdict).toBe('FAIL');
    const failing = report.phases[2]!.checks[0]!;
    expect(failing).toMatchObject({ id: 'auth.device_code', status: 'fail' });
    expect(report.phases[3]!.status).toBe('not_run');
    expect(sim!.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
  });

  it('never lets the device code, tokens or env values reach an event', async () => {
    const { events, handoffs } = await verifyAll((code) => aad.approve(code));
    const cache = JSON.parse(sim!.tokenCacheFile()!.content) as Record<
      string,
      Record<string, { secret?: string }>
    >;
    const secrets = [
      handoffs[0]!.userCode,
      ...Object.values(cache.AccessToken ?? {}).map((t) => t.secret!),
      ...Object.values(cache.RefreshToken ?? {}).map((t) => t.secret!),
      ...Object.values(cache.IdToken ?? {}).map((t) => t.secret!),
      CLIENT,
      TENANT,
    ];
    const everything = JSON.stringify(events);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('turns the flag OFF again after a pass when afterPass is turn-off, and says so', async () => {
    const { report } = await verifyAll((code) => aad.approve(code), { afterPass: 'turn-off' });
    expect(report).toMatchObject({ verdict: 'PASS', canTurnOn: true, state: 'passed' });
    expect(report.switchOff).toMatchObject({ why: 'after_pass', ok: true });
    expect(report.reason).toContain('afterPass: turn-off');
    expect(sim!.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
  });
});
