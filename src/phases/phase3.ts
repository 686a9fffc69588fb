import { z } from 'zod';
import { type CheckOutcome, fail, pass } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { LogEntry } from '../hunter/worker-logs.ts';
import { API_ON, API_ON_HINT, FLAG_ON, HEALTH_ON, LOGS_ON, TASK_ON, WORKER_HINT } from './checks.ts';
import { type PhaseContext, say, startPhase } from './context.ts';
import { fetchTaskResult, isTaskId, type TaskOutcome } from './shared/celery.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag } from './shared/health.ts';
import { describeResponse, errorMessageOf, parseJson } from './shared/http-json.ts';
import { pollWorkerLogs, problemsIn, taskFinishedIn } from './shared/worker-log-checks.ts';

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
  await phase.check(HEALTH_ON, () => healthShowsFlag(ctx, true, HEALTH_ON.hint(say(ctx))), [flag]);
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
    finished ??= taskId === undefined ? Promise.resolve(NO_TASK) : fetchTaskResult(ctx, taskId);
    return finished;
  };
  await phase.check(LOGS_ON, async () => {
    await taskOutcome();
    return checkLogsShowSync(ctx, since, taskId);
  }, [api]);
  await phase.check(TASK_ON, async () => judgeTaskRan(taskId, await taskOutcome()), [api]);
  return phase.finish();
}

export async function checkApiEnqueues(
  ctx: PhaseContext,
): Promise<{ outcome: CheckOutcome; taskId?: string }> {
  const res = await ctx.target.http.request({
    method: 'POST',
    path: '/api/referrals/sync',
    headers: { 'content-type': 'application/json' },
    signal: ctx.signal,
  });
  const observed = describeResponse(res);
  if (!res.ok) return { outcome: fail(observed, `The api did not answer: look at ${say(ctx).apiLogs}.`) };
  if (res.status === 500 && errorMessageOf(res.body)?.startsWith('Failed to start referral sync')) {
    return {
      outcome: fail(
        observed,
        'Phase 2 did not leave a usable token cache: go back to Phase 2 and log in again.',
      ),
    };
  }
  const json = parseJson(res.body);
  const body = json.ok ? Enqueued.safeParse(json.value) : undefined;
  if (res.status !== 200 || !body?.success) return { outcome: fail(observed, API_ON_HINT) };
  if (!isTaskId(body.data.task_id))
    return { outcome: fail(`${observed} (task_id is not a task id)`, API_ON_HINT) };
  return { outcome: pass(observed), taskId: body.data.task_id };
}

const NO_TASK: TaskOutcome = { kind: 'not_ready', text: 'no task id from api.on' };
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
  if (!logs.ok)
    return fail(logs.observed, `The worker logs could not be read: check ${say(ctx).workerLogs}.`);
  const problems = problemsIn(logs.entries);
  const absent = missing(logs.entries);
  const seen = `${logs.lineCount} lines since ${since.toISOString()}`;
  if (problems.length > 0) return fail(`${seen}; ${problems.slice(0, 3).join('; ')}`, WORKER_HINT);
  if (absent.length > 0) return fail(`${seen}; missing ${absent.join(', ')}`, WORKER_HINT);
  return pass(`${seen}; ${expected.join(', ')} present, no exception`);
}

export function judgeTaskRan(taskId: string | undefined, outcome: TaskOutcome): CheckOutcome {
  if (taskId === undefined) return fail('no task id from api.on', API_ON_HINT);
  const status =
    (outcome.kind === 'returned' && (outcome.value as { status?: unknown } | null)?.status) || undefined;
  if (outcome.kind === 'returned' && !/^(error|fail(ed|ure)?)$/i.test(String(status ?? ''))) {
    return pass(`task ${taskId}: ${outcome.text}`);
  }
  return fail(`task ${taskId}: ${outcome.kind}: ${outcome.text}`, WORKER_HINT);
}
