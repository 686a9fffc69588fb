import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import type { Target } from '../../src/hunter/port.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { FlagRecord } from '../../src/store/flag-record.ts';
import { WatchStore } from '../../src/store/watch.ts';
import type { WatchChange } from '../../src/watch/announcer.ts';
import { probeOnce, type WatchDeps } from '../../src/watch/watch-job.ts';
import { fakeEnv, instantClock, json, ok } from '../helpers/fake-target.ts';
import { useRedisKeys } from '../helpers/store.ts';

const STAGING = 'staging' as EnvName;
const INTERVAL = 60_000;
const store = useRedisKeys('pcv_watchjob');

const SYNC_ID = '11111111-1111-4111-8111-111111111111';
const OK_SYNC = [
  '[2026-11-28 12:00:01,000: INFO/MainProcess] Task app.core.tasks.sync_partner_center_referrals_task[11111111-1111-4111-8111-111111111111] received',
  '[2026-11-28 12:00:01,010: WARNING/MainProcess] {"event": "partner_center_sync_task_started", "level": "info"}',
  "[2026-11-28 12:00:01,100: INFO/ForkPoolWorker-1] Task app.core.tasks.sync_partner_center_referrals_task[11111111-1111-4111-8111-111111111111] succeeded in 0.1s: {'status': 'success'}",
].join('\n');
const TOKEN_FAIL = [
  '[2026-11-28 12:01:01,000: INFO/MainProcess] Task app.core.tasks.sync_partner_center_referrals_task[22222222-2222-4222-8222-222222222222] received',
  '[2026-11-28 12:01:01,010: WARNING/MainProcess] {"error": "invalid_grant: AADSTS50173: The provided grant has expired due to it being revoked", "event": "partner_center_token_acquisition_failed", "level": "error"}',
  "[2026-11-28 12:01:01,020: ERROR/ForkPoolWorker-1] Task app.core.tasks.sync_partner_center_referrals_task[22222222-2222-4222-8222-222222222222] raised unexpected: TokenAcquisitionError('Token acquisition failed: invalid_grant')",
  'Traceback (most recent call last):',
  '  File "/app/app/core/partner_center/auth.py", line 54, in get_access_token',
  'app.core.partner_center.auth.TokenAcquisitionError: Token acquisition failed: invalid_grant',
].join('\n');

/** The sync the watch asked for (its task id is the one the fake api hands out), failing the same way. */
const ASKED_TOKEN_FAIL = TOKEN_FAIL.replaceAll('22222222-2222-4222-8222-222222222222', SYNC_ID);

interface World {
  clock: ReturnType<typeof instantClock>;
  deps: WatchDeps;
  posts: WatchChange[];
  calls: string[];
  set(logs: string, flag?: boolean): void;
  onPost(hook: () => void): void;
  tick(ms?: number): void;
}

function world(options: { failPosts?: () => boolean } = {}): World {
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
          return json(200, { success: true, enqueued: true, task_id: SYNC_ID });
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

describe('one watch probe (fake Hunter, injected clock)', () => {
  it('says nothing while healthy, posts a failure once while it holds, and the recovery once', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set(OK_SYNC);
    expect(await probeOnce(w.deps, STAGING)).toBe('probed');
    expect(w.posts).toEqual([]);

    w.tick();
    w.set(TOKEN_FAIL);
    await probeOnce(w.deps, STAGING);
    for (let i = 0; i < 3; i++) {
      w.tick();
      await probeOnce(w.deps, STAGING);
    }
    expect(w.posts).toHaveLength(1);
    expect(w.posts[0]).toMatchObject({ to: 'failing', cause: { kind: 'token' }, from: 'healthy' });
    expect(w.posts[0]?.cause?.detail).toContain('AADSTS50173');

    w.tick();
    w.set(OK_SYNC);
    await probeOnce(w.deps, STAGING);
    w.tick();
    await probeOnce(w.deps, STAGING);
    expect(w.posts.map((p) => p.to)).toEqual(['failing', 'healthy']);
    expect(
      w.calls.every((c) => c === 'logs' || c === 'GET /healthz' || c === 'POST /api/referrals/sync'),
    ).toBe(true);
  });

  it('probes once per interval: a second job inside the same interval does nothing', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set(OK_SYNC);
    expect(await probeOnce(w.deps, STAGING)).toBe('probed');
    expect(await probeOnce(w.deps, STAGING)).toBe('done_already');
    w.tick();
    expect(await probeOnce(w.deps, STAGING)).toBe('probed');
  });

  it('holds back while another process holds the lease, and while a run holds the environment', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    await store.redis.set(store.keys.watchLease(STAGING), 'someone-else', 'PX', 60_000);
    expect(await probeOnce(w.deps, STAGING)).toBe('busy');
    await store.redis.del(store.keys.watchLease(STAGING));
    const running = { ...w.deps, runs: { lockHolder: async () => 'r2' } };
    expect(await probeOnce(running, STAGING)).toBe('run_going');
    expect(w.calls).toEqual([]);
  });

  it('posts a failure again on the next probe when Slack was down the first time', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    let down = true;
    const w = world({ failPosts: () => down });
    w.set(TOKEN_FAIL);
    await probeOnce(w.deps, STAGING);
    expect(w.posts).toEqual([]);
    down = false;
    w.tick();
    await probeOnce(w.deps, STAGING);
    w.tick();
    await probeOnce(w.deps, STAGING);
    expect(w.posts).toHaveLength(1);
  });

  it('asks for a sync after two intervals without one, and names drift before anything else', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set('');
    await probeOnce(w.deps, STAGING);
    expect(w.calls).not.toContain('POST /api/referrals/sync');
    w.tick();
    await probeOnce(w.deps, STAGING);
    w.tick();
    await probeOnce(w.deps, STAGING);
    expect(w.calls).toContain('POST /api/referrals/sync');

    w.tick();
    w.set(OK_SYNC, false);
    await probeOnce(w.deps, STAGING);
    expect(w.posts.at(-1)).toMatchObject({ to: 'failing', cause: { kind: 'drift' } });
  });
});

describe('a revoked sign-in through several intervals', () => {
  it('posts "failing" once, no "healthy again" for a quiet window, and one after a re-login and a clean sync', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set(OK_SYNC);
    await probeOnce(w.deps, STAGING);
    w.tick();
    w.set(TOKEN_FAIL);
    await probeOnce(w.deps, STAGING);
    expect(w.posts.map((p) => p.to)).toEqual(['failing']);

    // Beat is quiet: each window holds no sync. The failing watch asks for one at once, and
    // the sync it asked for fails like the last one.
    const posted = () => w.calls.filter((c) => c === 'POST /api/referrals/sync').length;
    for (let i = 1; i <= 4; i++) {
      w.tick();
      w.set('');
      w.onPost(() => w.set(ASKED_TOKEN_FAIL));
      await probeOnce(w.deps, STAGING);
      expect(posted()).toBe(i);
      expect(await w.deps.watch.get(STAGING)).toMatchObject({ status: 'failing', cause: { kind: 'token' } });
    }
    expect(w.posts.map((p) => p.to)).toEqual(['failing']);

    w.tick(1_000);
    const renewal = {
      report: { purpose: 'login', verdict: 'PASS', finishedAt: w.clock.now().toISOString() },
      requester: { kind: 'slack', userId: 'U1' },
    } as never;
    w.tick();
    w.set('');
    w.onPost(() => w.set(OK_SYNC));
    await probeOnce({ ...w.deps, results: { latest: async () => renewal } }, STAGING);
    expect(w.posts.map((p) => p.to)).toEqual(['failing', 'healthy']);
    for (let i = 0; i < 2; i++) {
      w.tick();
      w.set('');
      await probeOnce(w.deps, STAGING);
    }
    expect(w.posts.map((p) => p.to)).toEqual(['failing', 'healthy']);
  });

  it('does not call a sync whose start is before the window (only its end in view) a recovery', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set(TOKEN_FAIL);
    await probeOnce(w.deps, STAGING);
    w.tick();
    w.set(OK_SYNC.split('\n').slice(1).join('\n'));
    w.onPost(() => w.set(ASKED_TOKEN_FAIL));
    await probeOnce(w.deps, STAGING);
    expect(w.posts.map((p) => p.to)).toEqual(['failing']);
  });
});

describe('a probe overtaken by a run', () => {
  it('records nothing and posts nothing when a run took the environment while it probed', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set('', false);
    let held: string | undefined;
    const racing: WatchDeps = {
      ...w.deps,
      runs: { lockHolder: async () => held },
      openTarget: async (env, signal) => {
        // The run claims the environment (and will switch the flag OFF) while the probe reads.
        held = 'r-new';
        return w.deps.openTarget(env, signal);
      },
    };
    expect(await probeOnce(racing, STAGING)).toBe('run_going');
    expect(w.posts).toEqual([]);
    expect(await w.deps.watch.get(STAGING)).toBeUndefined();
  });
});

describe('the probe after a sign-in renewal', () => {
  it('asks for a sync at once rather than waiting for the schedule, and reports the recovery', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    const w = world();
    w.set(TOKEN_FAIL);
    await probeOnce(w.deps, STAGING);
    w.tick(1_000);
    const renewal = {
      report: { purpose: 'login', verdict: 'PASS', finishedAt: w.clock.now().toISOString() },
      requester: { kind: 'slack', userId: 'U1' },
    } as never;
    w.tick();
    // Since the renewal no sync ran; the one asked for prints a clean run.
    w.set('');
    w.onPost(() => w.set(OK_SYNC));
    await probeOnce({ ...w.deps, results: { latest: async () => renewal } }, STAGING);
    expect(w.calls).toContain('POST /api/referrals/sync');
    expect(w.posts.map((p) => p.to)).toEqual(['failing', 'healthy']);
  });
});
