import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/domain/run.ts';
import { renderCoded, translator } from '../../src/i18n/index.ts';
import { startReaper } from '../../src/lifecycle/reaper.ts';
import { createRunQueue, enqueue } from '../../src/lifecycle/run-queue.ts';
import { RunWorker } from '../../src/lifecycle/run-worker.ts';
import { botServices } from '../../src/main/open-stores.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { BotMetrics } from '../../src/observability/metrics.ts';
import { openRedis, type RedisConnection } from '../../src/store/connection.ts';
import { keysFor } from '../../src/store/keys.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { type BotWorld, STAGING, startBotWorld } from '../slack/bot-world.ts';

/*
 * A bug (an exception out of the lifecycle, not a failing check) in a worker: a run
 * whose flag may be ON or mid-change must not be ended and its environment freed on a flag
 * nobody verified; it keeps the lock and is reconciled. A run that never touched the flag
 * still fails at once, with the reason.
 */

/** The run store with one planted bug: the next finish throws, as an unexpected error would. */
class BrokenFinish extends RunStore {
  #armed = false;
  thrown = 0;
  arm(): void {
    this.#armed = true;
  }
  override finish(...args: Parameters<RunStore['finish']>): ReturnType<RunStore['finish']> {
    if (this.#armed) {
      this.#armed = false;
      this.thrown++;
      return Promise.reject(new Error('planted bug: finishing the run threw'));
    }
    return super.finish(...args);
  }
}

let world: BotWorld;
let redis: RedisConnection;
let bull: RedisConnection;
let store: BrokenFinish;
let worker: RunWorker;
let stopReaper: () => void;
let queue: ReturnType<typeof createRunQueue>;

beforeAll(async () => {
  world = await startBotWorld({ bot: false });
  world.aad.autoApprove();
  // Slack, the commands and the notifier: a web process. The runs: this file's own worker.
  await world.startBot({ role: 'web' });
  const log = createLogger({ level: 'silent' });
  redis = openRedis({ kind: 'url', url: REDIS_URL });
  bull = openRedis({ kind: 'url', url: REDIS_URL }, { maxRetriesPerRequest: null });
  store = new BrokenFinish(redis, keysFor(world.config.deployment), world.clock.now);
  const slack = { botToken: world.slack.api.botToken, apiUrl: world.slack.api.apiUrl };
  const s = {
    ...botServices(world.config, redis, slack, log, new BotMetrics(), world.clock.now),
    runs: store,
  };
  // A short working lease: a run left holding its environment is reaped within seconds.
  const lease = { queuedMs: 60_000, workingMs: 2_000 };
  const jobLockMs = 1_500;
  worker = new RunWorker(s, { lease, cancelPollMs: 100, jobLockMs, dispatcher: world.trust }, bull, {
    lockDurationMs: jobLockMs,
    stalledIntervalMs: 500,
  });
  queue = createRunQueue(bull, world.config.deployment);
  stopReaper = startReaper(s, 200, { enqueue: (job) => enqueue(queue, job), leaseMs: lease.workingMs });
});

afterAll(async () => {
  stopReaper?.();
  await worker?.close();
  await queue?.close();
  await world?.stop();
  redis?.disconnect();
  bull?.disconnect();
});

describe('a bug in a worker', () => {
  it('mid flag change: the run keeps its lock, and reconciliation settles the flag and ends it', async () => {
    // The bug strikes as the run is ended (its first finish), after Phase 3 turned the flag ON
    // and verified it.
    store.arm();
    const id = await world.start();
    await world.rootWhen(
      id,
      (r) => r.thread.some((t) => t.includes('internal error')),
      'the bug in the thread',
    );
    expect(store.thrown).toBe(1);
    // Not ended on an unverified flag: the environment stays this run's until it is settled.
    const held = (await world.runs.get(id)) as RunRecord;
    expect(held.report).toBeUndefined();
    expect(await world.runs.lockHolder(STAGING)).toBe(id);
    expect((await world.slash('staging')).text).not.toContain('Starting run');

    const run = await world.finished(id, 60_000);
    expect(run.state).toBe('passed');
    expect(await world.flags.get(STAGING)).toMatchObject({
      desired: 'on',
      observed: 'on',
      owner: { kind: 'run', runId: id },
    });
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    // The thread says what happened, then the verdict of the reconciled run.
    const { thread } = await world.rootWhen(id, (r) => r.thread.some((t) => t.includes('*Verdict: PASS*')));
    const bug = thread.findIndex((t) => t.includes('internal error'));
    expect(bug).toBeGreaterThan(0);
    expect(thread.findIndex((t) => t.includes('*Verdict: PASS*'))).toBeGreaterThan(bug);
  });

  it('with the flag untouched: the run fails at once, says why, and frees the environment', async () => {
    // Phase 0 fails: the run ends before Phase 1 could touch the flag.
    world.sim.setFaults({ tableMissing: true });
    try {
      store.arm();
      const id = await world.start();
      const run = await world.finished(id, 60_000);
      expect(store.thrown).toBe(2);
      expect(run.state).toBe('failed');
      // Stored as a coded message; in English words it reads as before.
      expect(renderCoded(translator('en'), run.report?.reason ?? '')).toContain('internal error');
      expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
      const { thread } = await world.rootWhen(id, (r) => r.thread.some((t) => t.includes('internal error')));
      expect(thread.filter((t) => t.includes('internal error'))).toHaveLength(1);
    } finally {
      world.sim.setFaults({ tableMissing: false });
    }
  });
});
