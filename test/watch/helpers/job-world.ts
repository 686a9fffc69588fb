import type { Redis } from 'ioredis';
import type { Config } from '../../../src/config/config.ts';
import type { EnvName } from '../../../src/domain/ids.ts';
import type { HttpResult, Target } from '../../../src/hunter/port.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import type { FlagRecord } from '../../../src/store/flag-record.ts';
import type { Keys } from '../../../src/store/keys.ts';
import { WatchStore } from '../../../src/store/watch.ts';
import type { WatchChange } from '../../../src/watch/announcer.ts';
import type { WatchDeps } from '../../../src/watch/watch-job.ts';
import { fakeEnv, instantClock, json, ok } from '../../helpers/fake-target.ts';

/**
 * One environment's watch against a fake Hunter on an injected clock: the worker lines and the
 * flag /healthz shows are set by the test, and every call the probe makes is recorded.
 */

export const STAGING = 'staging' as EnvName;
export const INTERVAL = 60_000;

export const SYNC_ID = '11111111-1111-4111-8111-111111111111';
export const OK_SYNC = [
  '[2026-11-28 12:00:01,000: INFO/MainProcess] Task app.core.tasks.sync_partner_center_referrals_task[11111111-1111-4111-8111-111111111111] received',
  '[2026-11-28 12:00:01,010: WARNING/MainProcess] {"event": "partner_center_sync_task_started", "level": "info"}',
  "[2026-11-28 12:00:01,100: INFO/ForkPoolWorker-1] Task app.core.tasks.sync_partner_center_referrals_task[11111111-1111-4111-8111-111111111111] succeeded in 0.1s: {'status': 'success'}",
].join('\n');
export const TOKEN_FAIL = [
  '[2026-11-28 12:01:01,000: INFO/MainProcess] Task app.core.tasks.sync_partner_center_referrals_task[22222222-2222-4222-8222-222222222222] received',
  '[2026-11-28 12:01:01,010: WARNING/MainProcess] {"error": "invalid_grant: AADSTS50173: The provided grant has expired due to it being revoked", "event": "partner_center_token_acquisition_failed", "level": "error"}',
  "[2026-11-28 12:01:01,020: ERROR/ForkPoolWorker-1] Task app.core.tasks.sync_partner_center_referrals_task[22222222-2222-4222-8222-222222222222] raised unexpected: TokenAcquisitionError('Token acquisition failed: invalid_grant')",
  'Traceback (most recent call last):',
  '  File "/app/app/core/partner_center/auth.py", line 54, in get_access_token',
  'app.core.partner_center.auth.TokenAcquisitionError: Token acquisition failed: invalid_grant',
].join('\n');

/** The sync the watch asked for (its task id is the one the fake api hands out), failing the same way. */
export const ASKED_TOKEN_FAIL = TOKEN_FAIL.replaceAll('22222222-2222-4222-8222-222222222222', SYNC_ID);

export interface World {
  clock: ReturnType<typeof instantClock>;
  deps: WatchDeps;
  posts: WatchChange[];
  calls: string[];
  set(logs: string, flag?: boolean): void;
  onPost(hook: () => void): void;
  tick(ms?: number): void;
}

export interface WorldOptions {
  readonly failPosts?: () => boolean;
  /** What the api answers `POST /api/referrals/sync`; default 200 with a task id. */
  readonly syncAnswer?: () => HttpResult;
}

export function world(store: { redis: Redis; keys: Keys }, options: WorldOptions = {}): World {
  const env = { ...fakeEnv(), watch: { interval: INTERVAL } };
  const clock = instantClock();
  let logs = '';
  let healthFlag = true;
  let afterPost: () => void = () => undefined;
  const calls: string[] = [];
  const posts: WatchChange[] = [];
  const target: Target = {
    env,
    clock,
    commands: {
      describe: () => '',
      run: async (action) => {
        calls.push(action.kind);
        return ok(action.kind === 'logs' ? logs : '');
      },
    },
    http: {
      urlOf: (p) => p,
      request: async (req) => {
        calls.push(`${req.method} ${req.path}`);
        if (req.method === 'POST') {
          afterPost();
          return options.syncAnswer?.() ?? json(200, { success: true, enqueued: true, task_id: SYNC_ID });
        }
        return json(200, { partner_center_enabled: healthFlag });
      },
    },
    db: { table: async () => ({ ok: false, reason: 'missing', message: '' }) },
    envFile: {
      path: '/x/.env',
      read: async () => '',
      write: async () => {
        throw new Error('a probe must never write the env file');
      },
    },
  };
  const verifiedAt = clock.now().toISOString();
  const flag: FlagRecord = {
    desired: 'on',
    owner: { kind: 'run', runId: 'r1' as never },
    by: 'U1',
    observed: 'on',
    intentAt: verifiedAt,
    verifiedAt,
  };
  const config: Config = { source: 't', deployment: 'x', environments: new Map([[STAGING, env]]) };
  const deps: WatchDeps = {
    config,
    watch: new WatchStore(store.redis, store.keys),
    flags: { get: async () => flag },
    runs: { lockHolder: async () => undefined },
    results: { latest: async () => undefined },
    announcer: {
      announce: async (change) => {
        if (options.failPosts?.()) throw new Error('slack is down');
        posts.push(change);
        return true;
      },
    },
    log: createLogger({ level: 'silent' }),
    now: () => clock.now(),
    openTarget: async () => ({ target, redact: (t) => t }),
  };
  return {
    clock,
    deps,
    posts,
    calls,
    set: (text, on = true) => {
      logs = text;
      healthFlag = on;
    },
    onPost: (hook) => {
      afterPost = hook;
    },
    tick: (ms = INTERVAL) => {
      void clock.sleep(ms, new AbortController().signal);
    },
  };
}
