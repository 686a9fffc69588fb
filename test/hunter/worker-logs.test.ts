import { describe, expect, it } from 'vitest';
import { detectProblems } from '../../src/hunter/worker-log-problems.ts';
import { findEvent, parseWorkerLogs, readBoolean } from '../../src/hunter/worker-logs.ts';

const TASK = 'app.core.tasks.sync_partner_center_referrals_task';
const ID = '4f1c2d3e-0000-4a5b-9c8d-112233445566';
const SKIP_JSON =
  '{"reason": "feature_flag_disabled", "feature_flag_state": false, "event": "partner_center_sync_skipped", ' +
  '"level": "info", "logger": "app.core.tasks", "timestamp": "2026-11-28T21:41:52.772000Z"}';

/** `docker compose logs -t worker` of a worker that starts as root, then runs the task with the flag OFF. */
const OFF_WITH_PREFIX = [
  'worker-1  | 2026-11-28T21:41:50.100000000Z  ',
  'worker-1  | 2026-11-28T21:41:50.101000000Z  -------------- celery@0f3a v5.3.6 (emerald-rush)',
  'worker-1  | 2026-11-28T21:41:50.101000000Z --- ***** ----- ',
  'worker-1  | 2026-11-28T21:41:50.102000000Z - ** ---------- .> transport:   redis://redis:6379/0',
  'worker-1  | 2026-11-28T21:41:50.102000000Z [tasks]',
  `worker-1  | 2026-11-28T21:41:50.103000000Z   . ${TASK}`,
  "worker-1  | 2026-11-28T21:41:51.000000000Z [2026-11-28 21:41:51,000: WARNING/MainProcess] /usr/local/lib/python3.11/site-packages/celery/platforms.py:829: SecurityWarning: You're running the worker with superuser privileges: this is",
  'worker-1  | 2026-11-28T21:41:51.000000000Z absolutely not recommended!',
  'worker-1  | 2026-11-28T21:41:51.000000000Z ',
  'worker-1  | 2026-11-28T21:41:51.000000000Z User information: uid=0 euid=0 gid=0 egid=0',
  'worker-1  | 2026-11-28T21:41:51.000000000Z   warnings.warn(SecurityWarning(ROOT_DISCOURAGED.format(',
  'worker-1  | 2026-11-28T21:41:51.500000000Z [2026-11-28 21:41:51,500: INFO/MainProcess] Connected to redis://redis:6379/0',
  'worker-1  | 2026-11-28T21:41:51.600000000Z [2026-11-28 21:41:51,600: INFO/MainProcess] celery@0f3a ready.',
  `worker-1  | 2026-11-28T21:41:52.770000000Z [2026-11-28 21:41:52,770: INFO/MainProcess] Task ${TASK}[${ID}] received`,
  `worker-1  | 2026-11-28T21:41:52.773123456Z [2026-11-28 21:41:52,773: WARNING/ForkPoolWorker-1] ${SKIP_JSON}`,
  `worker-1  | 2026-11-28T21:41:52.775000000Z [2026-11-28 21:41:52,775: INFO/ForkPoolWorker-1] Task ${TASK}[${ID}] succeeded in 0.001s: {'status': 'skipped', 'reason': 'Feature flag disabled', 'success_count': 0, 'failure_count': 0, 'skipped_count': 0}`,
].join('\n');

/** The same run as key=value lines, `--no-log-prefix`, CRLF. */
const OFF_KEY_VALUE = [
  `[2026-11-28 21:41:52,770: INFO/MainProcess] Task ${TASK}[${ID}] received`,
  '[2026-11-28 21:41:52,773: WARNING/ForkPoolWorker-1] event=partner_center_sync_skipped reason="feature_flag_disabled" feature_flag_state=False',
  "[2026-11-28 21:41:52,774: WARNING/ForkPoolWorker-1] event='partner_center_flag_checked' level='info' state=\"false\" count=0 ratio=0.5 note=None",
  '2026-11-28 21:41:52 [info     ] partner_center_console_line    feature_flag_state=false reason=feature_flag_disabled',
  '',
].join('\r\n');

/** Flag ON: the task starts, a fetch fails with a chained traceback, Celery reports the task raised. */
const ON_FAILING = [
  `[2026-11-28 21:50:00,000: INFO/MainProcess] Task ${TASK}[${ID}] received`,
  '[2026-11-28 21:50:00,010: WARNING/ForkPoolWorker-2] {"event": "partner_center_sync_task_started", "level": "info"}',
  '[2026-11-28 21:50:00,011: WARNING/ForkPoolWorker-2] {"event": "partner_center_sync_started", "level": "info"}',
  '[2026-11-28 21:50:00,012: WARNING/ForkPoolWorker-2] {"event": "partner_center_fetching_referrals", "level": "info"}',
  '[2026-11-28 21:50:00,500: WARNING/ForkPoolWorker-2] {"event": "partner_center_fetch_failed", "level": "error", "exception": "Traceback (most recent call last):\\n  File \\"/app/pc.py\\", line 3, in fetch\\nhttpx.ConnectError: [Errno -2] Name or service not known"}',
  `[2026-11-28 21:50:00,501: ERROR/ForkPoolWorker-2] Task ${TASK}[${ID}] raised unexpected: ConnectError('[Errno -2] Name or service not known')`,
  'Traceback (most recent call last):',
  '  File "/usr/local/lib/python3.11/site-packages/celery/app/trace.py", line 477, in trace_task',
  '    R = retval = fun(*args, **kwargs)',
  '                 ^^^^^^^^^^^^^^^^^^^^',
  '  File "/app/app/core/tasks.py", line 88, in sync_partner_center_referrals_task',
  '    raise ValueError("boom")',
  'ValueError: boom',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  '  File "/app/app/core/tasks.py", line 90, in sync_partner_center_referrals_task',
  'httpx.ConnectError: [Errno -2] Name or service not known',
  '',
  '[2026-11-28 21:50:01,000: INFO/MainProcess] heartbeat ok',
].join('\n');

describe('parseWorkerLogs', () => {
  it('reads compose-prefixed, timestamped Celery output with an embedded structlog JSON line', () => {
    const entries = parseWorkerLogs(OFF_WITH_PREFIX);
    const skip = findEvent(entries, 'partner_center_sync_skipped');
    expect(skip).toMatchObject({
      kind: 'structured',
      level: 'info',
      fields: { reason: 'feature_flag_disabled', feature_flag_state: false, logger: 'app.core.tasks' },
      celery: { level: 'WARNING', process: 'ForkPoolWorker-1', time: '2026-11-28 21:41:52,773' },
    });
    expect(skip?.time?.toISOString()).toBe('2026-11-28T21:41:52.773Z');
    expect(skip?.raw).toContain('worker-1  | 2026-11-28T21:41:52.773123456Z [2026-11-28 21:41:52,773');
  });

  it("reads Celery's own task lines, including the returned value", () => {
    const entries = parseWorkerLogs(OFF_WITH_PREFIX);
    const celery = entries.filter((e) => e.fields.task_id === ID);
    expect(celery.map((e) => [e.kind, e.fields.outcome])).toEqual([
      ['celery', 'received'],
      ['celery', 'succeeded'],
    ]);
    expect(celery[1]?.fields).toMatchObject({
      task_name: TASK,
      runtime: 0.001,
      result: { status: 'skipped', reason: 'Feature flag disabled', success_count: 0 },
    });
  });

  it('keeps banners and the root warning as harmless text and celery lines', () => {
    const entries = parseWorkerLogs(OFF_WITH_PREFIX);
    expect(entries.some((e) => e.kind === 'text' && e.raw.includes('celery@0f3a v5.3.6'))).toBe(true);
    expect(entries.find((e) => e.raw.includes('SecurityWarning'))).toMatchObject({
      kind: 'celery',
      level: 'warning',
    });
    expect(entries.find((e) => e.raw.includes('User information'))).toMatchObject({ kind: 'text' });
    expect(detectProblems(entries)).toEqual([]);
  });

  it('reads key=value lines in logfmt, KeyValueRenderer and ConsoleRenderer styles', () => {
    const entries = parseWorkerLogs(OFF_KEY_VALUE);
    expect(entries).toHaveLength(4);
    expect(findEvent(entries, 'partner_center_sync_skipped')?.fields).toEqual({
      event: 'partner_center_sync_skipped',
      reason: 'feature_flag_disabled',
      feature_flag_state: false,
    });
    expect(findEvent(entries, 'partner_center_flag_checked')).toMatchObject({
      level: 'info',
      fields: { state: 'false', count: 0, ratio: 0.5, note: null },
    });
    expect(findEvent(entries, 'partner_center_console_line')).toMatchObject({
      kind: 'structured',
      level: 'info',
      fields: { feature_flag_state: false, reason: 'feature_flag_disabled' },
    });
    expect(entries.every((e) => !e.raw.endsWith('\r'))).toBe(true);
    expect(detectProblems(entries)).toEqual([]);
  });

  it('reads the same structured line with and without the compose prefix (v1 and v2 names)', () => {
    const bare = parseWorkerLogs(SKIP_JSON)[0];
    for (const prefix of ['worker-1  | ', 'hunter-worker-12 | ', 'worker_1  | ']) {
      const prefixed = parseWorkerLogs(`${prefix}${SKIP_JSON}`)[0];
      expect(prefixed?.fields).toEqual(bare?.fields);
      expect(prefixed?.event).toBe('partner_center_sync_skipped');
    }
    expect(bare?.time?.toISOString()).toBe('2026-11-28T21:41:52.772Z');
  });

  it('reads free text as text, and a Python dict printed by print() as structured', () => {
    const entries = parseWorkerLogs(
      "some free text with a | pipe\n{'event': 'partner_center_sync_started', 'enabled': True}\n",
    );
    expect(entries.map((e) => e.kind)).toEqual(['text', 'structured']);
    expect(entries[1]?.fields.enabled).toBe(true);
  });

  it('folds a chained traceback into the Celery line that announced it', () => {
    const entries = parseWorkerLogs(ON_FAILING);
    const raised = entries.find((e) => e.fields.outcome === 'raised');
    expect(raised?.traceback?.[0]).toBe('Traceback (most recent call last):');
    expect(raised?.traceback?.at(-1)).toBe('httpx.ConnectError: [Errno -2] Name or service not known');
    expect(raised?.raw.split('\n')).toHaveLength(14);
    expect(entries.at(-1)?.fields.message).toBe('heartbeat ok');
    expect(entries.map((e) => e.event ?? e.fields.outcome ?? e.fields.message)).toEqual([
      'received',
      'partner_center_sync_task_started',
      'partner_center_sync_started',
      'partner_center_fetching_referrals',
      'partner_center_fetch_failed',
      'raised',
      'heartbeat ok',
    ]);
  });
});

describe('detectProblems', () => {
  it('reports the raised task, the exception field, and nothing for the healthy lines', () => {
    const problems = detectProblems(parseWorkerLogs(ON_FAILING));
    expect(problems.map((p) => [p.kind, p.summary])).toEqual([
      ['exception', 'partner_center_fetch_failed: httpx.ConnectError: [Errno -2] Name or service not known'],
      ['task_raised', `Task ${TASK}[${ID}] raised: ConnectError('[Errno -2] Name or service not known')`],
    ]);
  });

  it('reports a bare traceback, error-level lines and exc_info, but not soft outcomes', () => {
    const text = [
      '{"event": "partner_center_no_referrals", "level": "warning", "message": "no referrals"}',
      '{"event": "partner_center_sync_completed", "level": "info", "exc_info": false, "errors": []}',
      'Traceback (most recent call last):',
      '  File "/app/x.py", line 1, in <module>',
      "KeyError: 'x'",
      '[2026-11-28 21:50:02,000: ERROR/MainProcess] consumer: Cannot connect to redis://redis:6379/0: Error 111.',
      'event=partner_center_token_refresh level=error',
      'event=partner_center_call exc_info=True',
      '[2026-11-28 21:50:03,000: CRITICAL/MainProcess] Unrecoverable error: x',
    ].join('\n');
    const problems = detectProblems(parseWorkerLogs(text));
    expect(problems.map((p) => [p.kind, p.summary])).toEqual([
      ['traceback', "traceback ending in KeyError: 'x'"],
      ['error_level', 'error line: consumer: Cannot connect to redis://redis:6379/0: Error 111.'],
      ['error_level', 'error line: partner_center_token_refresh'],
      ['exception', 'partner_center_call: exc_info'],
      ['error_level', 'critical line: Unrecoverable error: x'],
    ]);
  });

  it('keeps summaries short', () => {
    const long = `{"event": "x", "level": "error", "exception": "${'E'.repeat(2000)}"}`;
    const [problem] = detectProblems(parseWorkerLogs(long));
    expect(problem?.summary.length).toBeLessThanOrEqual(300);
  });
});

describe('findEvent and readBoolean', () => {
  it('finds the first entry with the event that satisfies the predicate', () => {
    const entries = parseWorkerLogs(
      '{"event": "e", "n": 1}\n{"event": "other", "n": 2}\n{"event": "e", "n": 3}\n',
    );
    expect(findEvent(entries, 'e')?.fields.n).toBe(1);
    expect(findEvent(entries, 'e', (x) => x.fields.n === 3)?.fields.n).toBe(3);
    expect(findEvent(entries, 'missing')).toBeUndefined();
  });

  it('reads JSON false, Python False and "false" alike', () => {
    const entries = parseWorkerLogs(
      '{"event": "a", "s": false}\nevent=b s=False\nevent=c s="false"\nevent=d s=\'False\'\nevent=e s=True\n',
    );
    expect(entries.map((e) => readBoolean(e.fields.s))).toEqual([false, false, false, false, true]);
    expect(readBoolean('maybe')).toBeUndefined();
    expect(readBoolean(undefined)).toBeUndefined();
  });
});
