import { z } from 'zod';
import type { ProbeFinding } from '../domain/watch.ts';
import type { Target } from '../hunter/port.ts';
import { type LogEntry, parseWorkerLogs } from '../hunter/worker-logs.ts';
import { describeResponse, errorMessageOf, parseJson } from '../phases/shared/http-json.ts';
import { tailLines } from '../phases/shared/output.ts';
import { pollWithBackoff } from '../util/backoff.ts';
import { clip } from '../util/truncate.ts';
import { aadstsWords, causeInLogs, judgeLogs, syncSeen } from './judge.ts';

const wordsOf = (text: string) => {
  const said = aadstsWords(text);
  return said ? `: ${said}` : ': the sign-in is revoked, expired or missing';
};

export interface ProbeInput {
  readonly target: Target;
  readonly signal: AbortSignal;
  /** Every text that leaves the probe goes through it (env values, passwords). */
  readonly redact: (text: string) => string;
  /** The flag as pc-verify last verified it. */
  readonly desired: 'on' | 'off';
  /** The worker lines to judge start here: the last probe (or one interval ago). */
  readonly since: Date;
  /** When the periodic sync was last seen, if ever. */
  readonly lastSyncAt?: Date;
  /** When the watch began on this environment (a sync is only asked for after two intervals of it). */
  readonly watchingSince: Date;
  readonly intervalMs: number;
  /**
   * The sign-in was renewed (`/pc-verify login`) since the last probe: when no sync ran since,
   * one is asked for now, so the next probe after a renewal says how it went.
   */
  readonly renewed?: boolean;
  /**
   * The environment is failing: a window without a whole sync cannot end that, so one is asked
   * for at once rather than after two intervals.
   */
  readonly failing?: boolean;
}

const Healthz = z.object({ partner_center_enabled: z.boolean() });
const Enqueued = z.object({ task_id: z.string().min(1) });

/**
 * One read-only look at an environment (docs/architecture.md#the-day-2-watch): /healthz shows the flag pc-verify verified;
 * the worker's lines since the last probe show the periodic sync ran without an exception and
 * without "Token acquisition failed"; when no sync ran in two intervals, one is asked for
 * (POST /api/referrals/sync, what Hunter's own schedule does) and its lines are judged. It never
 * writes the env file, restarts anything or touches the token cache.
 */
export async function probeEnvironment(input: ProbeInput): Promise<ProbeFinding> {
  const now = input.target.clock.now();
  const flag = await healthzFlag(input);
  if (typeof flag === 'string') return { ok: false, cause: { kind: 'api_down', detail: input.redact(flag) } };
  const desiredOn = input.desired === 'on';
  if (flag !== desiredOn) {
    return {
      ok: false,
      cause: {
        kind: 'drift',
        detail: `/healthz shows partner_center_enabled: ${flag}, but pc-verify last verified it ${desiredOn ? 'ON' : 'OFF'}`,
      },
    };
  }
  const logs = await logsSince(input, input.since);
  if (!Array.isArray(logs)) return { ok: false, cause: { kind: 'probe_failed', detail: logs } };
  const judged = judgeLogs(logs, now.toISOString());
  if (!judged.ok) return { ...judged, cause: { ...judged.cause, detail: input.redact(judged.cause.detail) } };
  if (judged.evidence === 'clean_sync' || !desiredOn) return judged;
  const ask = input.renewed || input.failing || (!syncSeen(logs) && syncOverdue(input, now));
  return ask ? askForSync(input) : judged;
}

function syncOverdue(input: ProbeInput, now: Date): boolean {
  const lastSeen = Math.max(input.lastSyncAt?.getTime() ?? 0, input.watchingSince.getTime());
  return now.getTime() - lastSeen >= 2 * input.intervalMs;
}

/** The flag /healthz shows, or what went wrong reading it. */
async function healthzFlag(input: ProbeInput): Promise<boolean | string> {
  const res = await input.target.http.request({ method: 'GET', path: '/healthz', signal: input.signal });
  if (!res.ok || res.status !== 200) return `GET /healthz: ${describeResponse(res)}`;
  const json = parseJson(res.body);
  const health = json.ok ? Healthz.safeParse(json.value) : undefined;
  return health?.success ? health.data.partner_center_enabled : `GET /healthz: ${describeResponse(res)}`;
}

async function logsSince(input: ProbeInput, since: Date): Promise<LogEntry[] | string> {
  const res = await input.target.commands.run({ kind: 'logs', since }, { signal: input.signal });
  if (!res.ok)
    return input.redact(
      clip(`reading the worker logs failed: ${res.message} ${tailLines(res.stderr, 3)}`, 300),
    );
  return parseWorkerLogs(res.stdout);
}

/**
 * No sync for two intervals (beat stopped, or the worker lost its schedule): ask for one as
 * Hunter's schedule would, then judge what the task printed.
 */
async function askForSync(input: ProbeInput): Promise<ProbeFinding> {
  const asked = input.target.clock.now();
  const res = await input.target.http.request({
    method: 'POST',
    path: '/api/referrals/sync',
    headers: { 'content-type': 'application/json' },
    signal: input.signal,
  });
  const observed = input.redact(describeResponse(res));
  if (!res.ok)
    return { ok: false, cause: { kind: 'api_down', detail: `POST /api/referrals/sync: ${observed}` } };
  if (res.status === 500 && /Token acquisition failed/i.test(errorMessageOf(res.body) ?? '')) {
    return {
      ok: false,
      cause: {
        kind: 'token',
        detail: clip(`Token acquisition failed${wordsOf(observed)} (asked for a sync: ${observed})`, 300),
      },
    };
  }
  const json = parseJson(res.body);
  const body = json.ok ? Enqueued.safeParse(json.value) : undefined;
  if (res.status !== 200 || !body?.success) {
    return {
      ok: false,
      cause: { kind: 'exception', detail: `POST /api/referrals/sync answered ${observed}` },
    };
  }
  const taskId = body.data.task_id;
  const lines = await taskLines(input, asked, taskId);
  if (typeof lines === 'string') return { ok: false, cause: { kind: 'probe_failed', detail: lines } };
  const cause = causeInLogs(lines);
  if (cause)
    return {
      ok: false,
      cause: { ...cause, detail: input.redact(cause.detail) },
      syncAt: asked.toISOString(),
    };
  return {
    ok: true,
    evidence: 'clean_sync',
    detail: `the sync asked for (${taskId}) ran cleanly`,
    syncAt: asked.toISOString(),
  };
}

/** The worker's lines since the request, once the task has finished (its succeeded / raised line). */
async function taskLines(input: ProbeInput, since: Date, taskId: string): Promise<LogEntry[] | string> {
  let last: LogEntry[] | string = 'the worker logs were not read';
  const done = await pollWithBackoff(
    async () => {
      last = await logsSince(input, since);
      if (typeof last === 'string') return { done: false, last };
      const finished = last.some((e) => e.raw.includes(taskId) && /succeeded in|raised/.test(e.raw));
      return finished ? { done: true, value: last } : { done: false, last: 'not finished' };
    },
    { clock: input.target.clock, signal: input.signal, timeoutMs: input.intervalMs / 2, initialDelayMs: 100 },
  );
  if (done.ok) return done.value;
  return typeof last === 'string'
    ? last
    : `the sync asked for (${taskId}) did not finish within half an interval`;
}
