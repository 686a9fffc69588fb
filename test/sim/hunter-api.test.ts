import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  ENQUEUED_MESSAGE,
  type HunterSim,
  NO_FAULTS,
  OFF_MESSAGE,
  startHunterSim,
  TOKEN_FAILURE_MESSAGE,
} from '../../sim/hunter/index.ts';
import { pollUntil } from '../helpers/poll.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { compose, healthFlag, http, installTokenCache, tokenCacheJson } from './helpers/hunter.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('pcv_hapi');
});
afterAll(async () => {
  await db.drop();
});

async function withSim(flag: boolean, body: (sim: HunterSim) => Promise<void>): Promise<void> {
  const sim = await startHunterSim({ databaseUrl: db.url, flag, taskDelayMs: 10 });
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}

describe('Hunter simulator: the api', () => {
  it('answers the runbook OFF shapes: health false, 400 with the exact detail', () =>
    withSim(false, async (sim) => {
      const health = await http(sim, 'GET', '/healthz');
      expect(health).toMatchObject({ ok: true, status: 200 });
      expect(JSON.parse(health.ok ? health.body : '')).toMatchObject({
        status: 'ok',
        partner_center_enabled: false,
      });
      const sync = await http(sim, 'POST', '/api/referrals/sync');
      expect(sync).toEqual({ ok: true, status: 400, body: JSON.stringify({ detail: OFF_MESSAGE }) });
    }));

  it('answers ON: 500 without a token cache, 200 "enqueued" with one, and the worker runs that task', () =>
    withSim(true, async (sim) => {
      expect(await healthFlag(sim)).toBe(true);
      const refused = await http(sim, 'POST', '/api/referrals/sync');
      expect(refused).toEqual({
        ok: true,
        status: 500,
        body: JSON.stringify({ detail: TOKEN_FAILURE_MESSAGE }),
      });

      expect((await installTokenCache(sim, tokenCacheJson({ clientId: DEFAULT_CLIENT_ID }))).exitCode).toBe(
        0,
      );
      const sync = await http(sim, 'POST', '/api/referrals/sync');
      expect(sync.ok && sync.status).toBe(200);
      const body = JSON.parse(sync.ok ? sync.body : '{}') as Record<string, unknown>;
      expect(body).toEqual({
        success: true,
        message: ENQUEUED_MESSAGE,
        enqueued: true,
        task_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        success_count: 0,
        failure_count: 0,
        skipped_count: 0,
        errors: [],
      });
      const result = await compose(sim, [
        ...['exec', '-T', 'worker', 'celery', '-A', 'app.core.celery_app', 'result'],
        String(body.task_id),
      ]);
      expect(result.stdout.trim()).toBe(
        "{'status': 'success', 'success_count': 3, 'failure_count': 0, 'skipped_count': 0}",
      );
    }));

  it('treats a cache issued to another client id as unusable', () =>
    withSim(true, async (sim) => {
      await installTokenCache(sim, tokenCacheJson({ clientId: 'another-client' }));
      expect(await http(sim, 'POST', '/api/referrals/sync')).toMatchObject({ ok: true, status: 500 });
    }));

  it('offReturns200 breaks only the OFF branch of the sync endpoint', () =>
    withSim(false, async (sim) => {
      sim.setFaults({ offReturns200: true });
      const sync = await http(sim, 'POST', '/api/referrals/sync');
      expect(sync).toMatchObject({ ok: true, status: 200 });
      expect(await healthFlag(sim)).toBe(false);
      sim.setFaults({ offReturns200: false });
      expect(await http(sim, 'POST', '/api/referrals/sync')).toMatchObject({ ok: true, status: 400 });
    }));

  it('offWrongMessage keeps the 400 but changes the detail', () =>
    withSim(false, async (sim) => {
      sim.setFaults({ offWrongMessage: true });
      const sync = await http(sim, 'POST', '/api/referrals/sync');
      expect(sync).toMatchObject({ ok: true, status: 400 });
      const detail = (JSON.parse(sync.ok ? sync.body : '{}') as { detail: string }).detail;
      expect(detail).not.toBe(OFF_MESSAGE);
      expect(detail.length).toBeGreaterThan(0);
      expect(await healthFlag(sim)).toBe(false);
    }));

  it('down refuses connections and execs, and comes back when cleared', () =>
    withSim(false, async (sim) => {
      sim.setFaults({ down: true });
      await pollUntil(async () => {
        const res = await http(sim, 'GET', '/healthz');
        return !res.ok && res.code === 'ECONNREFUSED' ? true : undefined;
      });
      const exec = await compose(sim, ['exec', '-T', 'api', 'printenv']);
      expect(exec).toMatchObject({ exitCode: 1, stderr: 'service "api" is not running\n' });
      const ps = await compose(sim, ['ps', '--format', 'json']);
      expect(ps.stdout).not.toContain('"Service":"api"');
      expect(ps.stdout).toContain('"Service":"postgres"');
      const restarted = await compose(sim, ['restart', 'api', 'worker']);
      expect(restarted.exitCode).toBe(0);
      expect(await http(sim, 'GET', '/healthz')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });

      sim.setFaults({ down: false });
      await pollUntil(() => healthFlag(sim), { what: 'the api to answer again' });
    }));

  it('a simulator started down serves on its apiUrl once the fault is cleared', async () => {
    const sim = await startHunterSim({ databaseUrl: db.url, faults: { down: true } });
    try {
      expect(sim.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      expect(await http(sim, 'GET', '/healthz')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
      sim.setFaults({ down: false });
      await pollUntil(() => healthFlag(sim), { what: 'the api to start' });
    } finally {
      await sim.stop();
    }
  });

  it('startDelayMs: after a restart the api refuses connections until it has started', () =>
    withSim(false, async (sim) => {
      sim.setFaults({ startDelayMs: 700 });
      expect((await compose(sim, ['restart', 'api', 'worker'])).exitCode).toBe(0);
      // Refused right after the restart returned, then up: a start delay, whatever the machine's speed.
      expect(await http(sim, 'GET', '/healthz')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
      await pollUntil(() => healthFlag(sim).then((f) => (f === false ? true : undefined)));
    }));

  it('answers unknown paths and methods like FastAPI', () =>
    withSim(false, async (sim) => {
      expect(await http(sim, 'GET', '/nope')).toEqual({
        ok: true,
        status: 404,
        body: '{"detail":"Not Found"}',
      });
      expect(await http(sim, 'GET', '/api/referrals/sync')).toEqual({
        ok: true,
        status: 405,
        body: '{"detail":"Method Not Allowed"}',
      });
    }));

  it('starts with no fault switched on', () => {
    expect(
      Object.values(NO_FAULTS).filter((v) => v !== false && v !== null && v !== 0 && v !== 'ok'),
    ).toEqual([]);
  });
});
