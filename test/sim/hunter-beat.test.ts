import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { BEAT_ENTRY, type HunterSim, SYNC_TASK_NAME, startHunterSim } from '../../sim/hunter/index.ts';
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
