import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunId } from '../../src/domain/ids.ts';
import type { RunRecord } from '../../src/domain/run.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, type BotWorld, CHANNEL, STAGING, startBotWorld } from '../slack/bot-world.ts';

/**
 * A Redis of this file's own, so it can be stopped, frozen and restarted without touching the
 * Redis other test files share. Append-only persistence, as a production Redis behind BullMQ
 * should have: a restart keeps runs, locks and jobs.
 */
class PrivateRedis {
  #child: ResultPromise | undefined;

  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#child = execa(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--dir',
        this.dir,
      ],
      { reject: false, stdout: 'ignore', stderr: 'ignore' },
    );
    await pollUntil(() => this.answers(), { timeoutMs: 10_000, what: `redis-server on ${this.port}` });
  }

  /** SIGTERM: Redis writes its append-only file and exits, as on a planned restart. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child) return;
    child.kill('SIGTERM');
    await child;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Frozen (SIGSTOP): connections stay open and nothing answers, like a partitioned network. */
  freeze(): void {
    this.#child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.#child?.kill('SIGCONT');
  }

  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#child;
  }

  async answers(): Promise<true | undefined> {
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG' ? true : undefined;
    } catch {
      return undefined;
    } finally {
      probe.disconnect();
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let redis: PrivateRedis;
let world: BotWorld;
const crashes: unknown[] = [];
const noteCrash = (error: unknown) => crashes.push(error);

beforeAll(async () => {
  process.on('unhandledRejection', noteCrash);
  process.on('uncaughtException', noteCrash);
  redis = new PrivateRedis(await freePort(), await mkdtemp(join(tmpdir(), 'pcv-redis-')));
  await redis.start();
  world = await startBotWorld({ redisUrl: redis.url });
  // The test's own client reconnects like the bot's; its errors during an outage are expected.
  world.redis.on('error', () => undefined);
});
afterAll(async () => {
  redis?.thaw();
  if (redis && !(await redis.answers())) await redis.start().catch(() => undefined);
  await world?.stop();
  await redis?.kill();
  if (redis) await rm(redis.dir, { recursive: true, force: true });
  process.off('unhandledRejection', noteCrash);
  process.off('uncaughtException', noteCrash);
});

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${world.bot.opsUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function healthy(): Promise<true> {
  return pollUntil(async () => ((await health()).status === 200 ? true : undefined), {
    timeoutMs: 15_000,
    intervalMs: 100,
    what: '/healthz to be ok again',
  });
}

/**
 * A slash command whose answer came in its acknowledgement: Bolt answers 404 itself when a
 * listener has not acked within Slack's 3 s (and the late ack is lost), so a 200 with our text
 * is an ack in time — Bolt's timer is the judge, not a stopwatch in the test.
 */
async function ackedSlash(text: string): Promise<{ status: number; text: string }> {
  return world.slash(text);
}

/**
 * Alice signs in with whatever code her DM shows, as a person would — a run picked up again
 * sends a new one — until the run ends.
 */
async function signInUntilFinished(id: RunId): Promise<RunRecord> {
  const used = new Set<string>();
  await pollUntil(
    async () => {
      for (const dm of world.slack.api.messages(world.slack.api.dmOf(ALICE))) {
        const code = /sign in with code (\S+)/.exec(dm.text ?? '')?.[1];
        if (code && !used.has(code)) {
          used.add(code);
          world.aad.approve(code);
        }
      }
      return (await world.runs.get(id))?.report ? true : undefined;
    },
    { timeoutMs: 25_000, intervalMs: 50, what: `run ${id} to finish` },
  );
  return world.finished(id);
}

/** The code Alice's newest DM shows once the run waits for her (not one an earlier run left). */
async function codeInDm(id: RunId): Promise<string> {
  await world.waitForRun(id, (r) => r.state === 'awaiting_login', 'the login wait');
  return pollUntil(
    () =>
      /sign in with code (\S+)/.exec(
        world.slack.api.messages(world.slack.api.dmOf(ALICE)).at(-1)?.text ?? '',
      )?.[1],
    { what: 'the DM with the code' },
  );
}

/** What a refused start must not leave behind: run records, the lock, the current run, BullMQ jobs, channel posts. */
async function footprint() {
  const p = `{${world.config.deployment}}`;
  return {
    runs: (await world.redis.keys(`${p}:run:*`)).sort(),
    jobs: (await world.redis.keys(`${p}:bull:*:run-*`)).sort(),
    lock: await world.runs.lockHolder(STAGING),
    current: await world.runs.currentRunId(STAGING),
    channel: world.slack.api.messages(CHANNEL).length,
  };
}

/**
 * Redis stays down until the worker has fenced itself: its job lock went unrenewed for 0.9 × the
 * lock (FAST: 1.5 s), so BullMQ hands the job to a worker again once Redis is back. (A failed
 * lease renewal is no such sign: it can fail at once, and an outage that ends before the lock
 * lapses leaves the job with its worker, which goes on — into Phase 2, say, once a held Phase 1
 * is released.)
 */
async function outageNoticedByWorker(): Promise<void> {
  const seen = world.logs.length;
  await redis.stop();
  await pollUntil(() => (world.logs.slice(seen).some((l) => l.includes('self-fencing')) ? true : undefined), {
    timeoutMs: 15_000,
    intervalMs: 50,
    what: 'the worker to fence itself (its job lock not renewed)',
  });
  await redis.start();
}

const UNREACHABLE = 'pc-verify cannot reach its Redis (where it keeps runs, locks and results)';
const TRY_AGAIN = 'Try again in a minute; if it keeps failing, tell whoever runs pc-verify';

describe('Redis restarted while the bot is idle', () => {
  it('the bot reconnects by itself: /healthz is ok again, and a new run starts and passes', async () => {
    await redis.restart();
    await healthy();
    const id = await world.start();
    expect((await signInUntilFinished(id)).state).toBe('passed');
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(crashes).toEqual([]);
  });
});

describe('Redis down when a slash command arrives', () => {
  it('acks in time with what happened and what to do, leaves nothing behind, and starts normally once Redis is back', async () => {
    const before = await footprint();
    const lateAnswers = world.slack.api.responses().length;
    await redis.stop();

    const answers = new Map<string, string>();
    const commands = ['status staging', 'status', 'staging', 'off staging'];
    for (const text of commands) {
      const ack = await ackedSlash(text);
      expect(ack.status).toBe(200);
      expect(ack.text).toContain(UNREACHABLE);
      expect(ack.text).toContain(TRY_AGAIN);
      answers.set(text, ack.text);
    }
    expect(answers.get('staging')).toContain('The run was not started.');
    expect(answers.get('off staging')).toContain('The kill switch did NOT run');
    expect(answers.get('off staging')).toContain('turn it OFF by hand');
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ok: false, redis: false, queue: false });
    // The scrape still answers, with the bot's own counters (the refused commands among them).
    const metrics = await fetch(`${world.bot.opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/pcv_commands_total\{command="start",outcome="refused"\} [1-9]/);

    await redis.start();
    await healthy();
    expect(await footprint()).toEqual(before);
    // One answer each, and nothing later through response_url (a start's work after the ack).
    expect(world.slack.api.responses()).toHaveLength(lateAnswers + commands.length);
    // Each connection logs its loss and return on its own events, a moment apart from the
    // commands and probes that notice them: poll.
    for (const line of ['Redis connection lost', 'Redis connection back'])
      await pollUntil(() => (world.logs.join('').includes(line) ? true : undefined), {
        what: `the log line "${line}"`,
      });

    const id = await world.start();
    expect((await signInUntilFinished(id)).state).toBe('passed');
    expect(crashes).toEqual([]);
  });
});

describe('Redis frozen (connections open, no answers) when a slash command arrives', () => {
  it('acks in time, and a start whose replay check Redis did not answer never runs: the environment stays free', async () => {
    const before = await footprint();
    const trail = await world.audit.entries(STAGING);
    redis.freeze();
    for (const text of ['status staging', 'staging']) {
      const ack = await ackedSlash(text);
      expect(ack.status).toBe(200);
      expect(ack.text).toContain(UNREACHABLE);
    }
    redis.thaw();
    await healthy();
    // The replay guard fails closed: the start was refused before it could claim anything.
    // (A start whose claim lands after it gave up is withdrawn: start.ts, its own tests.)
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(await world.audit.entries(STAGING)).toEqual(trail);
    expect(await footprint()).toEqual(before);
    expect(await world.audit.verify(STAGING)).toMatchObject({ ok: true });
    expect(crashes).toEqual([]);
  });
});

describe('Redis restarted during a run, down longer than the job lock', () => {
  it('while the run waits for the sign-in: the run goes on with a new code in the DM, the old one void, and passes', async () => {
    const id = await world.start();
    const code = await codeInDm(id);
    await outageNoticedByWorker();
    // Alice signs in with the code she has; the worker that lost its job stops all the same.
    world.aad.approve(code);
    const run = await signInUntilFinished(id);
    expect(run.state).toBe('passed');
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();

    const { thread } = await world.root(id);
    const resumed = thread.filter((t) => t.includes('Picked up again'));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toContain(
      `Phase 2 starts again from its beginning. The earlier sign-in code is void; a new one goes to <@${ALICE}> in DM.`,
    );
    expect(thread.at(-1)).toContain('*Verdict: PASS*');
    // No DM is left showing a code that still looks usable.
    const dms = world.slack.api.messages(world.slack.api.dmOf(ALICE)).map((m) => m.text ?? '');
    for (const dm of dms) expect(dm).toMatch(/^pc-verify staging: sign-in (done|void)/);
    expect(crashes).toEqual([]);
  });

  it('during Phase 1: Phase 1 runs again from its beginning, once, and the run passes', async () => {
    // Held inside Phase 1 (its flag-OFF sync request), so the outage cannot miss the phase.
    const pause = world.sim.pauseAt('sync:before', { flag: false });
    const id = await world.start();
    await pause.reached;
    expect((await world.runs.get(id))?.state).toBe('phase1');
    await outageNoticedByWorker();
    pause.release();
    const run = await signInUntilFinished(id);
    expect(run.state).toBe('passed');
    expect(run.report?.phases.map((p) => p.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    const { thread } = await world.root(id);
    const resumed = thread.filter((t) => t.includes('Picked up again'));
    expect(resumed).toEqual([expect.stringContaining('Phase 1 starts again from its beginning.')]);
    expect(thread.at(-1)).toContain('*Verdict: PASS*');
    expect(crashes).toEqual([]);
  });
});

describe('Redis loses its data during a run', () => {
  it('the worker stops the run, says so in the thread and the DM, and writes nothing back', async () => {
    // Once Redis forgot the run, its worker knows the thread only from the records it read
    // before. Held in Phase 1 until the record names the root message, the worker's next step
    // reads it. Unheld, under load, the notifier may post the root only once the run waits for
    // the sign-in: the worker then learns it at its guard's next look (within cancelPollMs), and
    // a flush in between leaves its notes no thread to go to.
    const pause = world.sim.pauseAt('sync:before', { flag: false });
    const id = await world.start();
    await pause.reached;
    const { ts } = await world.root(id);
    pause.release();
    await codeInDm(id);
    await world.redis.flushall();

    const thread = await pollUntil(
      () => {
        const texts = world.slack.api.thread(CHANNEL, ts).map((m) => m.text ?? '');
        return texts.some((t) => t.includes("This run's record is gone from Redis")) ? texts : undefined;
      },
      { what: 'the thread to say the run stopped' },
    );
    expect(thread).toContainEqual(expect.stringContaining('start it again'));
    // Phase 1 had turned the flag OFF; the thread says where the flag was left.
    await pollUntil(
      () =>
        world.slack.api
          .thread(CHANNEL, ts)
          .some((m) => m.text === 'The flag was left OFF in staging by this run.')
          ? true
          : undefined,
      { what: 'the thread to say where the flag was left' },
    );
    await pollUntil(
      () => (world.slack.api.message(CHANNEL, ts)?.text === 'pc-verify staging: FAIL' ? true : undefined),
      {
        what: 'the root message to say failed',
      },
    );
    expect(world.slack.api.messages(world.slack.api.dmOf(ALICE)).at(-1)?.text).toMatch(/sign-in void/);
    expect(await world.runs.get(id)).toBeUndefined();
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    // Only the thread's outbox (what it just said about the stop, expiring) names the run now.
    const left = await world.redis.keys(`{${world.config.deployment}}:*${id}*`);
    expect(left.filter((key) => !/:outbox(-state|-lease)?:/.test(key))).toEqual([]);
    expect(crashes).toEqual([]);
  });

  it('in Phase 3 after the flag went ON: the flag is turned OFF again and verified, and the thread says so', async () => {
    const id = await world.start();
    world.aad.approve(await codeInDm(id));
    // Phase 3's commands take a second each: time to lose the data between flag.on and its end.
    world.sim.setFaults({ commandDelayMs: 1_000 });
    try {
      const { ts } = await world.root(id);
      await pollUntil(
        () =>
          world.slack.api
            .thread(CHANNEL, ts)
            .some((m) => (m.text ?? '').includes('HUNTER_PARTNER_CENTER_ENABLED=true written'))
            ? true
            : undefined,
        { timeoutMs: 20_000, what: 'Phase 3 to turn the flag ON' },
      );
      await world.redis.flushall();
      await pollUntil(
        () =>
          world.slack.api
            .thread(CHANNEL, ts)
            .some((m) => (m.text ?? '').includes('The flag was turned OFF again and verified'))
            ? true
            : undefined,
        { timeoutMs: 40_000, what: 'the thread to say the flag was turned OFF again' },
      );
      // What this process wrote is known even though Redis forgot it: an interrupted ON goes OFF.
      expect(await readFile(world.sim.envFile, 'utf8')).toMatch(/^HUNTER_PARTNER_CENTER_ENABLED=false$/m);
      expect(crashes).toEqual([]);
    } finally {
      world.sim.setFaults({ commandDelayMs: 0 });
    }
  });
});
