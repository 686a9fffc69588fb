import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { BEAT_ENTRY, type HunterSim, SYNC_TASK_NAME, startHunterSim } from '../../sim/hunter/index.ts';
import { parseWorkerLogs } from '../../src/hunter/worker-logs.ts';
import { judgeLogs } from '../../src/watch/judge.ts';
import { pollUntil } from '../helpers/poll.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { compose, installTokenCache, structlogEvents } from './helpers/hunter.ts';

const CLIENT = 'beat-client';
const TENANT = 'beat-tenant';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';
let db: TestDatabase;
let aad: FakeAad;
let sim: HunterSim;

beforeAll(async () => {
  db = await createTestDatabase('pcv_beat');
  aad = await startFakeAad();
  aad.registerClient(CLIENT, { tenantId: TENANT });
  sim = await startHunterSim({
    databaseUrl: db.url,
    flag: true,
    clientId: CLIENT,
    tenantId: TENANT,
    taskDelayMs: 5,
    aad: { tokenUrl: (t) => aad.tokenUrl(t), ca: [...rootCertificates, aad.ca].join('\n') },
  });
  await installTokenCache(sim, aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE }));
});
afterAll(async () => {
  await sim?.stop();
  await aad?.stop();
  await db?.drop();
});

async function workerLogs(): Promise<string> {
  return (await compose(sim, ['logs', '--no-log-prefix', 'worker'])).stdout;
}

async function syncFinished(taskId: string): Promise<string> {
  return pollUntil(
    async () => {
      const text = await workerLogs();
      return new RegExp(`\\[${taskId}\\] (succeeded|raised)`).test(text) ? text : undefined;
    },
    { what: `task ${taskId} to finish` },
  );
}

describe('Celery beat in the Hunter simulator', () => {
  it('sends the sync on its schedule and prints what beat and the worker print', async () => {
    sim.scheduleBeat(50);
    const text = await pollUntil(
      async () => {
        const logs = await workerLogs();
        return (logs.match(/Sending due task/g) ?? []).length >= 2 ? logs : undefined;
      },
      { what: 'two scheduled syncs' },
    );
    sim.scheduleBeat(false);
    expect(text).toMatch(
      new RegExp(
        `^\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}: INFO/Beat\\] Scheduler: Sending due task ${BEAT_ENTRY} \\(${SYNC_TASK_NAME.replaceAll('.', '\\.')}\\)$`,
        'm',
      ),
    );
    expect(text).toMatch(/Task app\.core\.tasks\.sync_partner_center_referrals_task\[[\w-]+\] received/);
  });

  it('after the user’s tokens are revoked the scheduled sync fails with Token acquisition failed: invalid_grant', async () => {
    const ok = sim.beatNow();
    expect(ok).toBeDefined();
    expect(await syncFinished(ok!)).toMatch(new RegExp(`\\[${ok}\\] succeeded`));

    aad.revokeAllTokens();
    const failing = sim.beatNow()!;
    const text = await syncFinished(failing);
    expect(text).toMatch(
      new RegExp(
        `\\[${failing}\\] raised unexpected: TokenAcquisitionError\\('Token acquisition failed: invalid_grant'\\)`,
      ),
    );
    const failed = structlogEvents(text).filter((e) => e.event === 'partner_center_token_acquisition_failed');
    expect(String(failed.at(-1)?.error)).toMatch(/^invalid_grant: AADSTS50173: /);
  });

  it('sends nothing while the worker is stopped', async () => {
    sim.setFaults({ down: true });
    await pollUntil(() => (sim.beatNow() === undefined ? true : undefined), { what: 'the worker to stop' });
    sim.setFaults({ down: false });
  });
});

describe('a revocation while the worker’s MSAL still holds an access token', () => {
  let db2: TestDatabase;
  let live: HunterSim;
  beforeAll(async () => {
    db2 = await createTestDatabase('pcv_beat_at');
    live = await startHunterSim({
      databaseUrl: db2.url,
      flag: true,
      clientId: CLIENT,
      tenantId: TENANT,
      taskDelayMs: 5,
      aad: {
        tokenUrl: (t) => aad.tokenUrl(t),
        ca: [...rootCertificates, aad.ca].join('\n'),
        accessTokenState: (token) => aad.accessTokenState(token),
      },
    });
    await installTokenCache(live, aad.mintTokenCache({ clientId: CLIENT, tenantId: TENANT, scope: SCOPE }));
  });
  afterAll(async () => {
    await live?.stop();
    await db2?.drop();
  });

  async function finished(taskId: string): Promise<{ text: string; judged: ReturnType<typeof judgeLogs> }> {
    const text = await pollUntil(
      async () => {
        const logs = (await compose(live, ['logs', '--no-log-prefix', 'worker'])).stdout;
        return new RegExp(`\\[${taskId}\\] (succeeded|raised)`).test(logs) ? logs : undefined;
      },
      { what: `task ${taskId} to finish` },
    );
    return { text, judged: judgeLogs(parseWorkerLogs(text), new Date().toISOString()) };
  }

  it('fails with a 401 from Partner Center first, then with Token acquisition failed once the token expired', async () => {
    const ok = await finished(live.beatNow()!);
    expect(ok.judged).toMatchObject({ ok: true, evidence: 'clean_sync' });

    aad.revokeAllTokens();
    const first = live.beatNow()!;
    const rejected = await finished(first);
    expect(rejected.text).toMatch(
      new RegExp(`\\[${first}\\] raised unexpected: HTTPStatusError\\("Client error '401 Unauthorized'`),
    );
    expect(rejected.text).not.toMatch(/Token acquisition failed/);
    expect(rejected.judged).toMatchObject({ ok: false, cause: { kind: 'token' } });
    expect(rejected.judged.ok ? '' : rejected.judged.cause.detail).toContain('HTTP 401');

    aad.expireAccessTokens();
    const next = live.beatNow()!;
    const expired = await finished(next);
    expect(expired.text).toMatch(
      new RegExp(
        `\\[${next}\\] raised unexpected: TokenAcquisitionError\\('Token acquisition failed: invalid_grant'\\)`,
      ),
    );
    expect(expired.judged.ok ? '' : expired.judged.cause.detail).toMatch(
      /AADSTS50173: the sign-in was revoked/,
    );
  });
});
