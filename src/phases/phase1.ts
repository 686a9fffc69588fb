import { type CheckOutcome, fail, pass } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { findEvent, type LogEntry, readBoolean } from '../hunter/worker-logs.ts';
import { API_OFF, FLAG_OFF, HEALTH_OFF, LOGS_OFF, TASK_OFF } from './checks.ts';
import { type PhaseContext, say, startPhase } from './context.ts';
import { fetchTaskResult, sendSyncTask } from './shared/celery.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag } from './shared/health.ts';
import { describeResponse, errorMessageOf } from './shared/http-json.ts';
import {
  isPartnerCenterLine,
  pollWorkerLogs,
  problemsIn,
  taskFinishedIn,
} from './shared/worker-log-checks.ts';

/** How long log lines may lag behind the task that wrote them. */
const LOG_LAG_MS = 15_000;

/** Phase 1 — "when off, does it do nothing and refuse politely?" */
export async function runPhase1(ctx: PhaseContext): Promise<PhaseResult> {
  const phase = startPhase(ctx, 1);
  const since = ctx.target.clock.now();
  await phase.start();
  const flag = await phase.check(FLAG_OFF, () => setFlagAndApply(ctx, false));
  await phase.check(HEALTH_OFF, () => healthShowsFlag(ctx, false, HEALTH_OFF.hint(say(ctx))), [flag]);
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
  if (!res.ok) return fail(observed, `The api did not answer: look at ${say(ctx).apiLogs}.`);
  const message = errorMessageOf(res.body);
  if (res.status === 400 && message === ctx.env.expect.offMessage) return pass(observed);
  if (res.status === 400) {
    return fail(
      observed,
      'The API refuses, but not with the runbook message: check the OFF branch in app/api/referrals.py.',
    );
  }
  return fail(observed, API_OFF.hint(say(ctx)));
}

export async function checkTaskSkips(ctx: PhaseContext): Promise<{ outcome: CheckOutcome; taskId?: string }> {
  const sent = await sendSyncTask(ctx);
  if (!sent.ok) {
    const hint = `The worker did not accept the task: is the worker running? Look at ${say(ctx).status}.`;
    return { outcome: fail(sent.observed, hint) };
  }
  return { outcome: await judgeSkippedResult(ctx, sent.taskId), taskId: sent.taskId };
}

async function judgeSkippedResult(ctx: PhaseContext, taskId: string): Promise<CheckOutcome> {
  const outcome = await fetchTaskResult(ctx, taskId);
  if (outcome.kind !== 'returned')
    return fail(`task ${taskId}: ${outcome.kind}: ${outcome.text}`, TASK_OFF.hint(say(ctx)));
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
  return skipped ? pass(observed) : fail(observed, TASK_OFF.hint(say(ctx)));
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
    return fail(logs.observed, `The worker logs could not be read: check ${say(ctx).workerLogs}.`);
  const skipped = findSkip(logs.entries);
  const wrong = logs.entries.filter(
    (e) =>
      isPartnerCenterLine(e) &&
      (/sync[_ ]started|\benabled\b/i.test(e.raw) || readBoolean(e.fields.feature_flag_state) === true),
  );
  const problems = problemsIn(logs.entries);
  const seen = `${logs.lineCount} lines since ${since.toISOString()}`;
  if (wrong.length > 0) return fail(`${seen}; wrong line: ${wrong[0]!.raw}`, LOGS_OFF.hint(say(ctx)));
  if (problems.length > 0) return fail(`${seen}; ${problems[0]}`, LOGS_OFF.hint(say(ctx)));
  if (!skipped)
    return fail(
      `${seen}; no ${expect.offLogEvent} with reason ${expect.offLogReason}`,
      LOGS_OFF.hint(say(ctx)),
    );
  return pass(`${seen}; ${skipped.raw}`);
}
