import { z } from 'zod';
import { type CheckOutcome, fail, pass } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { LogEntry } from '../hunter/worker-logs.ts';
import { API_ON, FLAG_ON, HEALTH_ON, LOGS_ON, TASK_ON } from './checks.ts';
import { hintOf, type PhaseContext, startPhase, words } from './context.ts';
import { fetchTaskResult, isTaskId, type TaskOutcome } from './shared/celery.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag } from './shared/health.ts';
import { errorMessageOf, parseJson } from './shared/http-json.ts';
import { postSync } from './shared/sync-request.ts';
import { logsUnreadable, pollWorkerLogs, problemsIn, taskFinishedIn } from './shared/worker-log-checks.ts';

const Enqueued = z.object({
  success: z.literal(true),
  enqueued: z.literal(true),
  task_id: z.string().min(1),
});

/** Phase 3 — "does it crash when on, or enqueue the task properly?" */
export async function runPhase3(ctx: PhaseContext): Promise<PhaseResult> {
  const phase = startPhase(ctx, 3);
  const since = ctx.target.clock.now();
  await phase.start();
  const flag = await phase.check(FLAG_ON, () => setFlagAndApply(ctx, true));
  await phase.check(HEALTH_ON, () => healthShowsFlag(ctx, true, hintOf(ctx, HEALTH_ON)), [flag]);
  let taskId: string | undefined;
  const api = await phase.check(API_ON, async () => {
    const enqueued = await checkApiEnqueues(ctx);
    taskId = enqueued.taskId;
    return enqueued.outcome;
  }, [flag]);
  // `celery result` blocks until the task ends: the exact moment to read the logs, and the
  // result task.on judges. Fetched once, shared by both checks.
  let finished: Promise<TaskOutcome> | undefined;
  const taskOutcome = () => {
    finished ??=
      taskId === undefined
        ? Promise.resolve({ kind: 'not_ready', text: words(ctx)('checks.task.noTaskId') })
        : fetchTaskResult(ctx, taskId);
    return finished;
  };
  await phase.check(LOGS_ON, async () => {
    await taskOutcome();
    return checkLogsShowSync(ctx, since, taskId);
  }, [api]);
  await phase.check(TASK_ON, async () => judgeTaskRan(ctx, taskId, await taskOutcome()), [api]);
  return phase.finish();
}

export async function checkApiEnqueues(
  ctx: PhaseContext,
): Promise<{ outcome: CheckOutcome; taskId?: string }> {
  const sync = await postSync(ctx);
  if (!sync.answered) return { outcome: sync.outcome };
  const { res, observed } = sync;
  const t = words(ctx);
  if (res.status === 500 && errorMessageOf(res.body)?.startsWith('Failed to start referral sync'))
    return { outcome: fail(observed, t('checks.api.noTokenCache')) };
  const json = parseJson(res.body);
  const body = json.ok ? Enqueued.safeParse(json.value) : undefined;
  if (res.status !== 200 || !body?.success) return { outcome: fail(observed, hintOf(ctx, API_ON)) };
  if (!isTaskId(body.data.task_id))
    return { outcome: fail(t('checks.api.notTaskId', { observed }), hintOf(ctx, API_ON)) };
  return { outcome: pass(observed), taskId: body.data.task_id };
}

/** After the task ended, its last log lines may still be on their way. */
const LOG_LAG_MS = 10_000;

export async function checkLogsShowSync(
  ctx: PhaseContext,
  since: Date,
  taskId: string | undefined,
): Promise<CheckOutcome> {
  const expected = ctx.env.expect.onLogEvents;
  const missing = (entries: readonly LogEntry[]) =>
    expected.filter((ev) => !entries.some((e) => e.event === ev));
  const finished = (entries: readonly LogEntry[]) => taskId === undefined || taskFinishedIn(entries, taskId);
  const logs = await pollWorkerLogs(
    ctx,
    since,
    (entries) => missing(entries).length === 0 && finished(entries),
    LOG_LAG_MS,
  );
  const t = words(ctx);
  if (!logs.ok) return logsUnreadable(ctx, logs);
  const problems = problemsIn(logs.entries);
  const absent = missing(logs.entries);
  const seen = t('checks.logs.lines', { count: logs.lineCount, since: since.toISOString() });
  const hint = hintOf(ctx, LOGS_ON);
  if (problems.length > 0) return fail(`${seen}; ${problems.slice(0, 3).join('; ')}`, hint);
  if (absent.length > 0) return fail(t('checks.logs.missing', { seen, events: absent.join(', ') }), hint);
  return pass(t('checks.logs.present', { seen, events: expected.join(', ') }));
}

export function judgeTaskRan(
  ctx: PhaseContext,
  taskId: string | undefined,
  outcome: TaskOutcome,
): CheckOutcome {
  const t = words(ctx);
  if (taskId === undefined) return fail(t('checks.task.noTaskId'), hintOf(ctx, API_ON));
  const status =
    (outcome.kind === 'returned' && (outcome.value as { status?: unknown } | null)?.status) || undefined;
  if (outcome.kind === 'returned' && !/^(error|fail(ed|ure)?)$/i.test(String(status ?? ''))) {
    return pass(t('checks.task.returned', { id: taskId, text: outcome.text }));
  }
  return fail(
    t('checks.task.outcome', { id: taskId, kind: outcome.kind, text: outcome.text }),
    hintOf(ctx, TASK_ON),
  );
}
