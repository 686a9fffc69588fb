import { describe, expect, it } from 'vitest';
import { TOKEN_FAILURE_MESSAGE } from '../../sim/hunter/api-service.ts';
import { translator } from '../../src/i18n/index.ts';
import { watchChangeText } from '../../src/slack/views/watch.ts';
import { probeOnce, type WatchDeps } from '../../src/watch/watch-job.ts';
import { json } from '../helpers/fake-target.ts';
import { useRedisKeys } from '../helpers/store.ts';
import {
  ASKED_TOKEN_FAIL,
  OK_SYNC,
  STAGING,
  TOKEN_FAIL,
  type WorldOptions,
  world as worldOn,
} from './helpers/job-world.ts';

const store = useRedisKeys('pcv_watchjob');
const world = (options?: WorldOptions) => worldOn(store, options);

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

describe('the api refusing the sync the watch asked for', () => {
  it('names a 500 "Token acquisition failed" as the sign-in, with `/pc-verify login <env>` as the next step', async () => {
    await store.redis.del(store.keys.watch(STAGING));
    // What Hunter's api answers once MSAL has no token to give (the access token's hour is over).
    const w = world({ syncAnswer: () => json(500, { detail: TOKEN_FAILURE_MESSAGE }) });
    w.set('');
    for (let i = 0; i < 3; i++) {
      await probeOnce(w.deps, STAGING);
      w.tick();
    }
    expect(w.calls).toContain('POST /api/referrals/sync');
    expect(w.posts).toHaveLength(1);
    const [post] = w.posts;
    expect(post).toMatchObject({ to: 'failing', cause: { kind: 'token' } });
    expect(post?.cause?.detail).toMatch(
      /^Token acquisition failed: the sign-in is revoked, expired or missing/,
    );
    expect(post?.cause?.detail).toContain('HTTP 500');
    const said = watchChangeText(translator('en'), post!);
    expect(said).toContain('the Partner Center sign-in no longer works');
    expect(said).toContain('sign in again with `/pc-verify login staging`');
  });
});
