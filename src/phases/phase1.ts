import { type CheckOutcome, fail, pass } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { findEvent, type LogEntry, readBoolean } from '../hunter/worker-logs.ts';
import { type PhaseContext, startPhase } from './context.ts';
import type { CheckSpec } from './runner.ts';
import { fetchTaskResult, sendSyncTask } from './shared/celery.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag, restartHint } from './shared/health.ts';
import { describeResponse, errorMessageOf } from './shared/http-json.ts';
import {
  isPartnerCenterLine,
  pollWorkerLogs,
  problemsIn,
  taskFinishedIn,
} from './shared/worker-log-checks.ts';

/** How long log lines may lag behind the task that wrote them. */
const LOG_LAG_MS = 15_000;

const OFF_PATH_HINT =
  'Fix the OFF path first; do not think about turning the flag ON until every Phase 1 check passes.';

const FLAG_OFF: CheckSpec = {
  id: 'flag.off',
  title: 'Flag set OFF and applied',
  expected:
    'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering',
  hint: OFF_PATH_HINT,
};
const HEALTH_OFF: CheckSpec = {
  id: 'health.off',
  title: 'Health: false',
  expected: 'GET /healthz → partner_center_enabled: false',
  hint: restartHint('ON'),
};
const API_OFF: CheckSpec = {
  id: 'api.off',
  title: 'API: 400 + proper error',
  expected:
    'POST /api/referrals/sync → HTTP 400 "Partner Center integration is disabled. Enable feature flag to use this endpoint."',
  hint: "API 200 → the API's feature flag check is broken (app/api/referrals.py).",
};
const TASK_OFF: CheckSpec = {
  id: 'task.off',
  title: 'Task: status="skipped"',
  expected: "celery task result {'status': 'skipped', 'reason': 'Feature flag disabled', counts 0}",
  hint: "The task does work while OFF → the Celery task's feature flag check is broken (app/core/tasks.py).",
};
const LOGS_OFF: CheckSpec = {
  id: 'logs.off',
  title: 'Log: "skip/feature_flag_disabled" visible',
  expected:
    'worker logs since this phase: partner_center_sync_skipped, reason feature_flag_disabled, feature_flag_state false; no "sync started"/"enabled"',
  hint: '"enabled" or "sync started" in the OFF logs → the logging (or the flag check) is wrong.',
};

/** Phase 1 — "when off, does it do nothing and refuse politely?" */
export async function runPhase1(ctx: PhaseContext): Promise<PhaseResult> {
  const phase = startPhase(ctx, 1);
  const since = ctx.target.clock.now();
  await phase.start();
  const flag = await phase.check(FLAG_OFF, () => setFlagAndApply(ctx, false));
  await phase.check(HEALTH_OFF, () => healthShowsFlag(ctx, false, HEALTH_OFF.hint), [flag]);
  await phase.check(API_OFF, () => checkApiRefuses(ctx), [flag]);
  let taskId: string | undefined;
  await phase.check(TASK_OFF, async () => {
    const checked = await checkTaskSkips(ctx);
    taskId = checked.taskId;
    return checked.outcome;
  }, [flag]);
  await phase.check(LOGS_OFF, () => checkLogsShowSkip(ctx, since, taskId), [flag]);
  return phase.finish();
}

export async function checkApiRefuses(ctx: PhaseContext): Promise<CheckOutcome> {
  const res = await ctx.target.http.request({
    method: 'POST',
    path: '/api/referrals/sync',
    headers: { 'content-type': 'application/json' },
    signal: ctx.signal,
  });
  const observed = describeResponse(res);
  if (!res.ok) return fail(observed, 'The api did not answer: look at `docker compose logs api`.');
  const message = errorMessageOf(res.body);
  if (res.status === 400 && message === ctx.env.expect.offMessage) return pass(observed);
  if (res.status === 400) {
    return fail(
      observed,
      'The API refuses, but not with the runbook message: check the OFF branch in app/api/referrals.py.',
    );
  }
  return fail(observed, API_OFF.hint);
}

export async function checkTaskSkips(ctx: PhaseContext): Promise<{ outcome: CheckOutcome; taskId?: string }> {
  const sent = await sendSyncTask(ctx);
  if (!sent.ok) {
    const hint = 'The worker did not accept the task: is the worker running? (`docker compose ps`)';
    return { outcome: fail(sent.observed, hint) };
  }
  return { outcome: await judgeSkippedResult(ctx, sent.taskId), taskId: sent.taskId };
}

async function judgeSkippedResult(ctx: PhaseContext, taskId: string): Promise<CheckOutcome> {
  const outcome = await fetchTaskResult(ctx, taskId);
  if (outcome.kind !== 'returned')
    return fail(`task ${taskId}: ${outcome.kind}: ${outcome.text}`, TASK_OFF.hint);
  const { expect } = ctx.env;
  const value = outcome.value as Record<string, unknown> | null;
  const skipped =
    typeof value === 'object' &&
    value !== null &&
    value.status === expect.taskSkippedStatus &&
    value.reason === expect.taskSkippedReason &&
    value.success_count === 0 &&
    value.failure_count === 0 &&
    value.skipped_count === 0;
  const observed = `task ${taskId}: ${outcome.text}`;
  return skipped ? pass(observed) : fail(observed, TASK_OFF.hint);
}

export async function checkLogsShowSkip(
  ctx: PhaseContext,
  since: Date,
  taskId?: string,
): Promise<CheckOutcome> {
  const { expect } = ctx.env;
  const findSkip = (entries: readonly LogEntry[]) =>
    findEvent(
      entries,
      expect.offLogEvent,
      (e) => e.fields.reason === expect.offLogReason && readBoolean(e.fields.feature_flag_state) === false,
    );
  // Done reading when the skip line is there, or when Celery logged the end of our task without it.
  const complete = (entries: readonly LogEntry[]) =>
    findSkip(entries) !== undefined || (taskId !== undefined && taskFinishedIn(entries, taskId));
  const logs = await pollWorkerLogs(ctx, since, complete, LOG_LAG_MS);
  if (!logs.ok)
    return fail(logs.observed, 'The worker logs could not be read: check `docker compose logs worker`.');
  const skipped = findSkip(logs.entries);
  const wrong = logs.entries.filter(
    (e) =>
      isPartnerCenterLine(e) &&
      (/sync[_ ]started|\benabled\b/i.test(e.raw) || readBoolean(e.fields.feature_flag_state) === true),
  );
  const problems = problemsIn(logs.entries);
  const seen = `${logs.lineCount} lines since ${since.toISOString()}`;
  if (wrong.length > 0) return fail(`${seen}; wrong line: ${wrong[0]!.raw}`, LOGS_OFF.hint);
  if (problems.length > 0) return fail(`${seen}; ${problems[0]}`, LOGS_OFF.hint);
  if (!skipped)
    return fail(`${seen}; no ${expect.offLogEvent} with reason ${expect.offLogReason}`, LOGS_OFF.hint);
  return pass(`${seen}; ${skipped.raw}`);
}
