import { type CheckOutcome, fail, pass } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { findEvent, type LogEntry, readBoolean } from '../hunter/worker-logs.ts';
import { API_OFF, FLAG_OFF, HEALTH_OFF, LOGS_OFF, TASK_OFF } from './checks.ts';
import { hintOf, type PhaseContext, say, startPhase, words } from './context.ts';
import { fetchTaskResult, sendSyncTask } from './shared/celery.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag } from './shared/health.ts';
import { errorMessageOf } from './shared/http-json.ts';
import { postSync } from './shared/sync-request.ts';
import {
  isPartnerCenterLine,
  logsUnreadable,
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
  await phase.check(HEALTH_OFF, () => healthShowsFlag(ctx, false, hintOf(ctx, HEALTH_OFF)), [flag]);
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
  const sync = await postSync(ctx);
  if (!sync.answered) return sync.outcome;
  const { res, observed } = sync;
  const message = errorMessageOf(res.body);
  if (res.status === 400 && message === ctx.env.expect.offMessage) return pass(observed);
  if (res.status === 400) return fail(observed, words(ctx)('checks.api.wrongRefusal'));
  return fail(observed, hintOf(ctx, API_OFF));
}

export async function checkTaskSkips(ctx: PhaseContext): Promise<{ outcome: CheckOutcome; taskId?: string }> {
  const sent = await sendSyncTask(ctx);
  if (!sent.ok) {
    const hint = sent.hint ?? words(ctx)('checks.task.notAccepted', { ...say(ctx) });
    return { outcome: fail(sent.observed, hint) };
  }
  return { outcome: await judgeSkippedResult(ctx, sent.taskId), taskId: sent.taskId };
}

async function judgeSkippedResult(ctx: PhaseContext, taskId: string): Promise<CheckOutcome> {
  const outcome = await fetchTaskResult(ctx, taskId);
  const t = words(ctx);
  if (outcome.kind !== 'returned')
    return fail(
      t('checks.task.outcome', { id: taskId, kind: outcome.kind, text: outcome.text }),
      hintOf(ctx, TASK_OFF),
    );
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
  const observed = t('checks.task.returned', { id: taskId, text: outcome.text });
  return skipped ? pass(observed) : fail(observed, hintOf(ctx, TASK_OFF));
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
  const t = words(ctx);
  if (!logs.ok) return logsUnreadable(ctx, logs);
  const skipped = findSkip(logs.entries);
  const wrong = logs.entries.filter(
    (e) =>
      isPartnerCenterLine(e) &&
      (/sync[_ ]started|\benabled\b/i.test(e.raw) || readBoolean(e.fields.feature_flag_state) === true),
  );
  const problems = problemsIn(logs.entries);
  const seen = t('checks.logs.lines', { count: logs.lineCount, since: since.toISOString() });
  const hint = hintOf(ctx, LOGS_OFF);
  if (wrong.length > 0) return fail(t('checks.logs.wrongLine', { seen, line: wrong[0]!.raw }), hint);
  if (problems.length > 0) return fail(`${seen}; ${problems[0]}`, hint);
  if (!skipped)
    return fail(
      t('checks.logs.noSkip', { seen, event: expect.offLogEvent, reason: expect.offLogReason }),
      hint,
    );
  return pass(`${seen}; ${skipped.raw}`);
}
