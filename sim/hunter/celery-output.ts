import { celeryTime, structlogTime } from './log-store.ts';
import { type PyValue, pyJson } from './python.ts';
import type { LogLevel } from './sync-task.ts';

/** `[2026-11-28 21:41:52,773: INFO/MainProcess] `: Celery's log prefix. */
export function celeryPrefix(at: Date, level: 'INFO' | 'WARNING' | 'ERROR', process: string): string {
  return `[${celeryTime(at)}: ${level}/${process}] `;
}

/**
 * A structlog event rendered by `JSONRenderer` (keyword fields first, then event, level,
 * timestamp) and captured by Celery from the task's stdout, hence the WARNING prefix.
 */
export function structlogLine(
  at: Date,
  level: LogLevel,
  event: string,
  fields: Record<string, PyValue> = {},
): string {
  const json = pyJson({ ...fields, event, level, timestamp: structlogTime(at) });
  return `${celeryPrefix(at, 'WARNING', 'MainProcess')}${json}`;
}

/** What a worker prints when it starts: banner, the root warning, then ready. */
export function startupBanner(at: Date, hostname: string): string[] {
  const node = `celery@${hostname}`;
  const stamp = at.toISOString().slice(0, 19).replace('T', ' ');
  return [
    "/usr/local/lib/python3.11/site-packages/celery/platforms.py:829: SecurityWarning: You're running the worker with superuser privileges: this is",
    'absolutely not recommended!',
    '',
    'Please specify a different user using the --uid option.',
    '',
    'User information: uid=0 euid=0 gid=0 egid=0',
    '',
    '  warnings.warn(SecurityWarning(ROOT_DISCOURAGED.format(',
    ' ',
    ` -------------- ${node} v5.3.6 (emerald-rush)`,
    '--- ***** ----- ',
    `-- ******* ---- Linux-6.8.0-49-generic-x86_64-with-glibc2.36 ${stamp}`,
    '- *** --- * --- ',
    '- ** ---------- [config]',
    '- ** ---------- .> app:         hunter:0x7f3c2a1b4d90',
    '- ** ---------- .> transport:   redis://redis:6379/0',
    '- ** ---------- .> results:     redis://redis:6379/0',
    '- *** --- * --- .> concurrency: 1 (prefork)',
    '-- ******* ---- .> task events: OFF (enable -E to monitor tasks in this worker)',
    '--- ***** ----- ',
    ' -------------- [queues]',
    '                .> celery           exchange=celery(direct) key=celery',
    '                ',
    '',
    '[tasks]',
    '  . app.core.tasks.sync_partner_center_referrals_task',
    '',
    `${celeryPrefix(at, 'INFO', 'MainProcess')}Connected to redis://redis:6379/0`,
    `${celeryPrefix(at, 'INFO', 'MainProcess')}mingle: searching for neighbors`,
    `${celeryPrefix(at, 'INFO', 'MainProcess')}mingle: all alone`,
    `${celeryPrefix(at, 'INFO', 'MainProcess')}${node} ready.`,
  ];
}

export const SHUTDOWN_LINES = ['', 'worker: Warm shutdown (MainProcess)'];
