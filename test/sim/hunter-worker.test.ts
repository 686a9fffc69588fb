import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  type HunterSim,
  type HunterSimOptions,
  startHunterSim,
} from '../../sim/hunter/index.ts';
import { pollUntil } from '../helpers/poll.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import {
  CELERY,
  callTask,
  compose,
  installTokenCache,
  startFakeTokenEndpoint,
  structlogEvents,
  tokenCacheJson,
} from './helpers/hunter.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('pcv_hwrk');
});
afterAll(async () => {
  await db.drop();
});

async function withSim(
  options: Partial<HunterSimOptions>,
  body: (sim: HunterSim) => Promise<void>,
): Promise<void> {
  const sim = await startHunterSim({ databaseUrl: db.url, taskDelayMs: 10, ...options });
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}

const SKIPPED =
  "{'status': 'skipped', 'reason': 'Feature flag disabled', 'success_count': 0, 'failure_count': 0, 'skipped_count': 0}";
const SKIP_EVENT = {
  reason: 'feature_flag_disabled',
  feature_flag_state: false,
  event: 'partner_center_sync_skipped',
  level: 'info',
};

const result = (sim: HunterSim, id: string, signal?: AbortSignal) =>
  compose(sim, [...CELERY, 'result', id], signal ? { signal } : {});
const workerLogs = (sim: HunterSim, ...extra: string[]) =>
  compose(sim, ['logs', '--no-log-prefix', ...extra, 'worker']);

/** Runs the task through `celery call` + `celery result` and returns what both printed plus its log lines. */
async function runTask(sim: HunterSim) {
  const since = new Date().toISOString();
  const id = await callTask(sim);
  const res = await result(sim, id);
  const logs = await workerLogs(sim, '--since', since);
  return { id, res, logs: logs.stdout, events: structlogEvents(logs.stdout) };
}

async function withCacheAndFlagOn(
  options: Partial<HunterSimOptions>,
  body: (sim: HunterSim) => Promise<void>,
) {
  await withSim({ flag: true, ...options }, async (sim) => {
    await installTokenCache(sim, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID }));
    await body(sim);
  });
}

describe('Hunter simulator: the Celery worker', () => {
  it('OFF: call prints only the id, result the skipped literal, logs the structlog skip line', () =>
    withSim({}, async (sim) => {
      const { id, res, logs, events } = await runTask(sim);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(res).toMatchObject({ exitCode: 0, stdout: `${SKIPPED}\n` });
      expect(events).toEqual([{ ...SKIP_EVENT, timestamp: expect.any(String) }]);
      expect(logs).toMatch(
        /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: WARNING\/MainProcess\] \{"reason": "feature_flag_disabled", /m,
      );
      expect(logs).toContain(`Task app.core.tasks.sync_partner_center_referrals_task[${id}] received`);
      expect(logs).toMatch(new RegExp(`\\[${id}\\] succeeded in [\\d.e-]+s: \\{'status': 'skipped'`));
    }));

  it('ON: logs the runbook events and returns success with the referral count', () =>
    withCacheAndFlagOn({}, async (sim) => {
      const { res, events, logs } = await runTask(sim);
      expect(res.stdout).toBe(
        "{'status': 'success', 'success_count': 3, 'failure_count': 0, 'skipped_count': 0}\n",
      );
      expect(events.map((e) => e.event)).toEqual([
        'partner_center_sync_task_started',
        'partner_center_sync_started',
        'partner_center_fetching_referrals',
        'partner_center_referrals_fetched',
        'partner_center_sync_completed',
      ]);
      expect(events[3]).toMatchObject({ count: 3 });
      expect(logs).not.toMatch(/Traceback|ERROR/);
    }));

  it('ON with an authority: refreshes the token with the cached refresh token, and fails when refused', async () => {
    let status = 200;
    const aad = await startFakeTokenEndpoint(() =>
      status === 200
        ? { status, body: { access_token: 'fresh', token_type: 'Bearer', expires_in: 3600 } }
        : { status, body: { error: 'invalid_grant' } },
    );
    try {
      await withSim({ flag: true, tenantId: 'tenant-1', aad: { tokenUrl: aad.tokenUrl } }, async (sim) => {
        await installTokenCache(sim, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID, environment: aad.host }));
        expect((await runTask(sim)).res.exitCode).toBe(0);
        expect(aad.forms).toHaveLength(1);
        expect(Object.fromEntries(aad.forms[0]!)).toMatchObject({
          grant_type: 'refresh_token',
          client_id: DEFAULT_CLIENT_ID,
          refresh_token: 'rt-secret',
        });
        status = 400;
        const refused = await runTask(sim);
        expect(refused.res.exitCode).toBe(1);
        expect(refused.res.stderr).toContain(
          'TokenAcquisitionError: Token acquisition failed: invalid_grant',
        );
        expect(refused.logs).not.toContain('rt-secret');
      });
    } finally {
      await aad.close();
    }
  });

  it('result blocks until the task is done', () =>
    withCacheAndFlagOn({ taskDelayMs: 1_500 }, async (sim) => {
      const id = await callTask(sim);
      let settled = false;
      const pending = result(sim, id).finally(() => {
        settled = true;
      });
      await pollUntil(async () =>
        (await workerLogs(sim)).stdout.includes(`[${id}] received`) ? true : undefined,
      );
      await pollUntil(() => (sim.openControlRequests() === 1 ? true : undefined));
      expect(settled).toBe(false);
      expect((await pending).stdout).toContain("'status': 'success'");
    }));

  it('an aborted stand-in releases its blocked `celery result`', () =>
    withSim({}, async (sim) => {
      const controller = new AbortController();
      const blocked = result(sim, '5d1f3b2e-0000-4000-8000-000000000000', controller.signal);
      await pollUntil(() => (sim.openControlRequests() === 1 ? true : undefined), {
        what: 'the blocked request',
      });
      controller.abort();
      await blocked;
      await pollUntil(() => (sim.openControlRequests() === 0 ? true : undefined), {
        what: 'the request to be released',
      });
    }));

  it('--since keeps only newer lines; -t prefixes RFC 3339 timestamps; no --no-log-prefix adds worker-1', () =>
    withSim({}, async (sim) => {
      const first = await callTask(sim);
      await result(sim, first);
      const since = new Date();
      const second = await callTask(sim);
      await result(sim, second);
      const newer = await workerLogs(sim, '--since', since.toISOString(), '-t');
      expect(newer.stdout).toContain(second);
      expect(newer.stdout).not.toContain(first);
      for (const line of newer.stdout.trim().split('\n')) {
        const stamp = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) /.exec(line)?.[1];
        expect(stamp).toBeDefined();
        expect(Date.parse(stamp!)).toBeGreaterThanOrEqual(since.getTime());
      }
      const prefixed = await compose(sim, ['logs', '--since', since.toISOString(), 'worker']);
      expect(
        prefixed.stdout
          .split('\n')
          .filter(Boolean)
          .every((l) => l.startsWith('worker-1  | ')),
      ).toBe(true);
    }));

  it('restart adds a start-up banner and a root warning to the log', () =>
    withSim({}, async (sim) => {
      const since = new Date().toISOString();
      await compose(sim, ['restart', 'api', 'worker']);
      const logs = await workerLogs(sim, '--since', since);
      expect(logs.stdout).toContain('worker: Warm shutdown (MainProcess)');
      expect(logs.stdout).toContain('SecurityWarning');
      expect(logs.stdout).toMatch(/INFO\/MainProcess\] celery@[0-9a-f]{12} ready\./);
    }));
});

describe('Hunter simulator: worker faults', () => {
  it('taskRunsWhileOff: the OFF task reports success and logs sync started', () =>
    withSim({ faults: { taskRunsWhileOff: true } }, async (sim) => {
      const { res, events } = await runTask(sim);
      expect(res.stdout).toMatch(/^\{'status': 'success'/);
      expect(events.map((e) => e.event)).toContain('partner_center_sync_started');
      expect(events.map((e) => e.event)).not.toContain('partner_center_sync_skipped');
    }));

  it('enabledInOffLogs: the result stays correct but the OFF logs say enabled', () =>
    withSim({ faults: { enabledInOffLogs: true } }, async (sim) => {
      const { res, events, logs } = await runTask(sim);
      expect(res.stdout).toBe(`${SKIPPED}\n`);
      expect(events).toContainEqual(expect.objectContaining(SKIP_EVENT));
      expect(logs).toMatch(/partner_center_sync_started/);
      expect(logs).toMatch(/"enabled"/);
    }));

  it('workerExceptionWhenOn: traceback in the log, result raises', () =>
    withCacheAndFlagOn({ faults: { workerExceptionWhenOn: true } }, async (sim) => {
      const { id, res, logs, events } = await runTask(sim);
      expect(res.exitCode).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/^Traceback \(most recent call last\):\n/);
      expect(logs).toContain(`[${id}] raised unexpected: AttributeError(`);
      expect(logs).toContain('Traceback (most recent call last):');
      expect(events.at(-1)).toMatchObject({ level: 'error', event: 'partner_center_sync_failed' });
    }));

  it('partnerCenterUnreachable: the fetch fails with an httpx error', () =>
    withCacheAndFlagOn({ faults: { partnerCenterUnreachable: true } }, async (sim) => {
      const { res, logs, events } = await runTask(sim);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toMatch(/^httpx\.\w+: .+$/m);
      expect(logs).toMatch(/raised unexpected: (RemoteProtocolError|ConnectError)\(/);
      expect(events.map((e) => e.event)).toContain('partner_center_fetching_referrals');
      expect(events.at(-1)).toMatchObject({ level: 'error', event: 'partner_center_fetch_failed' });
    }));

  it('ON without a usable cache: the task raises a token acquisition error', () =>
    withSim({ flag: true }, async (sim) => {
      const { res } = await runTask(sim);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toContain('Token acquisition failed. Run setup script to authenticate.');
    }));
});
