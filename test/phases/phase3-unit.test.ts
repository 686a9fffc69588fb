import { describe, expect, it } from 'vitest';
import { runPhase3 } from '../../src/phases/phase3.ts';
import { fakeRun, json, ok, raw } from '../helpers/fake-target.ts';

const TASK_ID = '5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
const prefix = (level: string) => `[2026-11-28 21:41:52,773: ${level}/MainProcess]`;
const GOOD_LOGS = [
  `${prefix('WARNING')} {"event": "partner_center_sync_task_started", "level": "info"}`,
  `${prefix('WARNING')} {"event": "partner_center_sync_started", "level": "info"}`,
  `${prefix('WARNING')} {"event": "partner_center_fetching_referrals", "level": "info"}`,
  `${prefix('INFO')} Task app.core.tasks.sync_partner_center_referrals_task[${TASK_ID}] succeeded in 0.05s: {'status': 'success'}`,
].join('\n');
const ENQUEUED = {
  success: true,
  message: 'Referral sync task enqueued. Check logs for results.',
  enqueued: true,
  task_id: TASK_ID,
  success_count: 0,
  failure_count: 0,
  skipped_count: 0,
  errors: [],
};

function onWorld(
  api: () => ReturnType<typeof json>,
  logs = GOOD_LOGS,
  result = "{'status': 'success', 'success_count': 2}",
) {
  return fakeRun({
    envText: 'HUNTER_PARTNER_CENTER_ENABLED=false\n',
    commands: (action) => {
      if (action.kind === 'logs') return ok(logs);
      if (action.kind === 'celeryResult') return ok(result);
      return ok();
    },
    http: (req) => (req.path === '/healthz' ? json(200, { partner_center_enabled: true }) : api()),
  });
}

const check = async (run: ReturnType<typeof fakeRun>, id: string) =>
  (await runPhase3(run.ctx)).checks.find((c) => c.id === id)!;

describe('Phase 3 against scripted answers', () => {
  it('passes a clean ON path and asks for the result of the task the API enqueued', async () => {
    const run = onWorld(() => json(200, ENQUEUED));
    const result = await runPhase3(run.ctx);
    expect(result.status).toBe('pass');
    expect(run.actions).toContainEqual({ kind: 'celeryResult', taskId: TASK_ID });
  });

  it('sends a 500 "Token acquisition failed" back to Phase 2', async () => {
    const detail =
      'Failed to start referral sync: Token acquisition failed. Run setup script to authenticate.';
    const api = await check(
      onWorld(() => json(500, { detail })),
      'api.on',
    );
    expect(api.status).toBe('fail');
    expect(api.hint).toBe('Phase 2 did not leave a usable token cache: go back to Phase 2 and log in again.');
  });

  it.each([
    ['an HTML 502', () => raw(502, '<html>Bad Gateway</html>')],
    ['success false', () => json(200, { ...ENQUEUED, success: false })],
    ['no task id', () => json(200, { ...ENQUEUED, task_id: '' })],
    ['a task id that is not one', () => json(200, { ...ENQUEUED, task_id: '$(rm -rf /)' })],
  ])('fails api.on on %s, and never runs a command with what it returned', async (_what, api) => {
    const run = onWorld(api);
    const result = await runPhase3(run.ctx);
    expect(result.checks.find((c) => c.id === 'api.on')?.status).toBe('fail');
    expect(
      result.checks.filter((c) => c.id === 'logs.on' || c.id === 'task.on').map((c) => c.status),
    ).toEqual(['skip', 'skip']);
    expect(run.actions.map((a) => a.kind)).toEqual(['apply']);
  });

  it('fails logs.on on a traceback even when every expected event is there', async () => {
    const logs = `${GOOD_LOGS}\n${prefix('ERROR')} Task app.core.tasks.x[${TASK_ID}] raised unexpected: ConnectionError('boom')\nTraceback (most recent call last):\n  File "x.py", line 1\nConnectionError: boom`;
    const logsOn = await check(
      onWorld(() => json(200, ENQUEUED), logs),
      'logs.on',
    );
    expect(logsOn.status).toBe('fail');
    expect(logsOn.hint).toMatch(/network connectivity/);
  });

  it('accepts soft outcomes such as "no referrals"', async () => {
    const logs = `${GOOD_LOGS}\n${prefix('WARNING')} {"event": "partner_center_no_referrals", "level": "info", "message": "no referrals"}`;
    expect(
      (
        await check(
          onWorld(() => json(200, ENQUEUED), logs),
          'logs.on',
        )
      ).status,
    ).toBe('pass');
  });

  it('fails task.on when the result says error', async () => {
    const run = onWorld(() => json(200, ENQUEUED), GOOD_LOGS, "{'status': 'error', 'errors': ['x']}");
    expect((await check(run, 'task.on')).status).toBe('fail');
  });
});
