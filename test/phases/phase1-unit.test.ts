import { describe, expect, it } from 'vitest';
import { runPhase1 } from '../../src/phases/phase1.ts';
import { exited, fakeRun, json, ok, raw } from '../helpers/fake-target.ts';

const OFF_MESSAGE = 'Partner Center integration is disabled. Enable feature flag to use this endpoint.';
const SKIPPED =
  "{'status': 'skipped', 'reason': 'Feature flag disabled', 'success_count': 0, 'failure_count': 0, 'skipped_count': 0}";
const TASK_ID = '5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
const SKIP_LOG =
  '[2026-11-28 21:41:52,773: WARNING/MainProcess] {"reason": "feature_flag_disabled", "feature_flag_state": false, "event": "partner_center_sync_skipped", "level": "info"}';

function healthyOffWorld(
  overrides: { api?: () => ReturnType<typeof json>; logs?: string; result?: string } = {},
) {
  return fakeRun({
    commands: (action) => {
      if (action.kind === 'celeryCall') return ok(TASK_ID);
      if (action.kind === 'celeryResult') return ok(overrides.result ?? SKIPPED);
      if (action.kind === 'logs') return ok(overrides.logs ?? SKIP_LOG);
      return ok();
    },
    http: (req) => {
      if (req.path === '/healthz') return json(200, { status: 'ok', partner_center_enabled: false });
      return overrides.api ? overrides.api() : json(400, { detail: OFF_MESSAGE });
    },
  });
}

const statusOf = async (run: ReturnType<typeof fakeRun>) =>
  Object.fromEntries((await runPhase1(run.ctx)).checks.map((c) => [c.id, c.status]));

describe('Phase 1 against scripted answers', () => {
  it('passes a clean OFF path and writes the flag once, keeping other lines', async () => {
    const run = healthyOffWorld();
    const result = await runPhase1(run.ctx);
    expect(result.status).toBe('pass');
    expect(run.envWrites).toEqual(['HUNTER_PARTNER_CENTER_ENABLED=false\n']);
    expect(run.actions.map((a) => a.kind)).toEqual(['apply', 'celeryCall', 'celeryResult', 'logs']);
  });

  it('accepts the OFF message as a bare JSON string', async () => {
    const run = healthyOffWorld({ api: () => json(400, JSON.stringify(OFF_MESSAGE)) });
    expect((await statusOf(run))['api.off']).toBe('pass');
  });

  it.each([
    ['a 200', () => json(200, { success: true }), /app\/api\/referrals\.py/],
    [
      'an HTML error page',
      () => raw(502, '<html><body>Bad Gateway</body></html>'),
      /app\/api\/referrals\.py/,
    ],
    ['truncated JSON', () => raw(400, '{"detail": "Partner Center integ', 'application/json'), /OFF branch/],
    ['another 400 message', () => json(400, { detail: 'Bad request' }), /OFF branch/],
  ])('fails api.off on %s with the runbook hint', async (_what, api, hint) => {
    const run = healthyOffWorld({ api });
    const check = (await runPhase1(run.ctx)).checks.find((c) => c.id === 'api.off')!;
    expect(check.status).toBe('fail');
    expect(check.hint).toMatch(hint);
  });

  it('fails task.off when the task did real work, and names app/core/tasks.py', async () => {
    const run = healthyOffWorld({
      result: "{'status': 'success', 'success_count': 3, 'failure_count': 0, 'skipped_count': 0}",
    });
    const check = (await runPhase1(run.ctx)).checks.find((c) => c.id === 'task.off')!;
    expect(check.status).toBe('fail');
    expect(check.hint).toContain('app/core/tasks.py');
  });

  it('fails logs.off when a partner-center line says enabled, even with the skip line present', async () => {
    const logs = `${SKIP_LOG}\n[2026-11-28 21:41:53,000: WARNING/MainProcess] {"event": "partner_center_sync_started", "level": "info"}`;
    const check = (await runPhase1(healthyOffWorld({ logs }).ctx)).checks.find((c) => c.id === 'logs.off')!;
    expect(check.status).toBe('fail');
    expect(check.observed).toContain('partner_center_sync_started');
  });

  it('waits for the skip line with back-off instead of failing at once, then gives up at the deadline', async () => {
    const run = healthyOffWorld({ logs: '' });
    const check = (await runPhase1(run.ctx)).checks.find((c) => c.id === 'logs.off')!;
    expect(check.status).toBe('fail');
    expect(run.clock.slept.length).toBeGreaterThan(3);
    expect(run.clock.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(15_000);
  });

  it('skips every check that needs the service when the flag cannot be applied', async () => {
    const run = fakeRun({ commands: (a) => (a.kind === 'apply' ? exited(1, 'permission denied') : ok()) });
    expect(await statusOf(run)).toEqual({
      'flag.off': 'fail',
      'health.off': 'skip',
      'api.off': 'skip',
      'task.off': 'skip',
      'logs.off': 'skip',
    });
  });

  it('refuses to rewrite an env file it cannot parse', async () => {
    const run = fakeRun({ envText: 'HUNTER_PARTNER_CENTER_ENABLED="true\n' });
    const check = (await runPhase1(run.ctx)).checks[0]!;
    expect(check.status).toBe('fail');
    expect(run.envWrites).toEqual([]);
    expect(run.actions).toEqual([]);
  });
});
