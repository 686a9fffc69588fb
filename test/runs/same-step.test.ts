import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRun } from '../../src/commands/cancel.ts';
import type { CommandDeps } from '../../src/commands/context.ts';
import type { Config } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName, RunId, SlackUserId } from '../../src/domain/ids.ts';
import type { RunRecord } from '../../src/domain/run.ts';
import { coded, message } from '../../src/i18n/index.ts';
import { requestApproval } from '../../src/lifecycle/approval-request.ts';
import { endedReport, finishRun } from '../../src/lifecycle/finish-run.ts';
import { botServices } from '../../src/main/open-stores.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { BotMetrics } from '../../src/observability/metrics.ts';
import { voiceOf } from '../../src/outbox/run-announcer.ts';
import type { RunNotifier } from '../../src/outbox/run-notices.ts';
import type { SlackServices } from '../../src/slack/slack-deps.ts';
import { keysFor } from '../../src/store/keys.ts';
import { pollUntil } from '../helpers/poll.ts';
import { REDIS_URL, uniqueName } from '../helpers/services.ts';
import { queuedRun } from '../helpers/store.ts';

// docs/architecture.md: a notice is appended in the same atomic step as the state change it reports, so
// a process that dies right after the change cannot lose it. Each case drives the lifecycle
// with the bot's outbox notifier and watches every command that reaches Redis.

const STAGING = 'staging' as EnvName;
const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const CHANNEL = 'C0STEP00001';
const lease = { queuedMs: 60_000, workingMs: 60_000 };

let redis: Redis;
let config: Config;
let s: SlackServices;
let keys: ReturnType<typeof keysFor>;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  config = parseConfig(
    JSON.stringify({
      deployment: uniqueName('step').replaceAll('_', '-'),
      environments: {
        staging: {
          tier: 'staging',
          api: { baseUrl: 'http://hunter.test:8000' },
          database: { url: 'postgres://h@db.test/h' },
          driver: { kind: 'compose', projectDir: '/nonexistent/hunter' },
          policy: { requesters: [ALICE], approvers: [BOB], channels: [CHANNEL], requireApproval: true },
        },
      },
    }),
    'same-step-test',
    {},
  );
  keys = keysFor(config.deployment);
  // No Slack call is made here: the notices only go into the outbox.
  s = botServices(
    config,
    redis,
    { botToken: 'xoxb-none' },
    createLogger({ level: 'silent' }),
    new BotMetrics(),
  );
});

afterAll(async () => {
  const found = await redis.keys(`${keys.prefix}*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

/** A run of Alice's in the channel, holding the environment, moved to `state`. */
async function runIn(state: 'queued' | 'phase2' | 'phase3'): Promise<RunRecord> {
  const run: RunRecord = {
    ...queuedRun(STAGING, { kind: 'slack', userId: ALICE as SlackUserId }),
    slack: { channel: CHANNEL, rootTs: '1700000000.000100' },
  };
  // Each case's run takes the environment afresh; the previous case's may still hold it.
  await redis.del(keys.lock(STAGING));
  expect((await s.runs.claimEnvironment(run, 60_000)).ok).toBe(true);
  if (state === 'queued') return run;
  const moved = await s.runs.enterPhase(run.id, state);
  if (!moved.ok) throw new Error(`could not move the run to ${state}`);
  return moved.run;
}

interface Seen {
  readonly source: string;
  readonly args: readonly string[];
}

/** Every command of this deployment that reaches Redis while `act` runs, from any connection. */
async function watched<T>(act: () => Promise<T>): Promise<{ result: T; seen: Seen[] }> {
  const monitor = await redis.duplicate().monitor();
  const seen: Seen[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args.some((a) => a.includes(keys.prefix))) seen.push({ source, args });
  });
  try {
    const result = await act();
    // A marker after the act: once MONITOR shows it, it has shown everything before it.
    const marker = `${keys.prefix}:marker:${uniqueName('m')}`;
    await redis.get(marker);
    await pollUntil(() => (seen.some((c) => c.args.includes(marker)) ? true : undefined), {
      what: 'MONITOR to catch up',
    });
    return { result, seen };
  } finally {
    monitor.disconnect();
  }
}

const isScript = (c: Seen) => ['eval', 'evalsha'].includes(String(c.args[0]).toLowerCase());

/** Commands outside any script that touched the run's outbox stream (a separate append). */
function appendsOutsideScripts(seen: Seen[], runId: RunId): Seen[] {
  return seen.filter((c) => c.source !== 'lua' && !isScript(c) && c.args.includes(keys.outbox(runId)));
}

/** The one script call that wrote both the run and its outbox, if there is one. */
function scriptsWritingBoth(seen: Seen[], runId: RunId): Seen[] {
  return seen.filter(
    (c) =>
      c.source !== 'lua' &&
      isScript(c) &&
      c.args.includes(keys.run(runId)) &&
      c.args.includes(keys.outbox(runId)),
  );
}

async function outboxKinds(runId: RunId): Promise<string[]> {
  const rows = await redis.xrange(keys.outbox(runId), '-', '+');
  return rows.map(
    ([, fields]) => (JSON.parse(fields[1] ?? '{}') as { notice: { kind: string } }).notice.kind,
  );
}

describe('a notice and the state change it reports are one step', () => {
  it('finishing a run: state, result, the verdict, the note, the root message and run_closed in one EVAL', async () => {
    const run = await runIn('phase3');
    const { result: ended, seen } = await watched(() =>
      finishRun(s, run.id, endedReport(s, run, 'failed', 'Phase 3 failed.'), {
        threadNote: ':x: Phase 3 failed.',
        // The worker's conclusion: its verdict is said in the finish's own step too.
        verdict: true,
      }),
    );
    expect(ended?.state).toBe('failed');
    expect(appendsOutsideScripts(seen, run.id)).toEqual([]);
    expect(scriptsWritingBoth(seen, run.id)).toHaveLength(1);
    expect(await outboxKinds(run.id)).toEqual(['event', 'note', 'root', 'run_closed']);
    expect(await redis.sismember(keys.outboxThreads, run.id)).toBe(1);
    expect(await redis.ttl(keys.outbox(run.id))).toBeGreaterThan(6 * 24 * 3600);
  });

  it('requesting approval: the state, the approval, the request and the root message in one EVAL', async () => {
    const run = await runIn('phase2');
    // The fourth argument is the voice older versions took; this one says everything from the step.
    const request = requestApproval as (...args: unknown[]) => ReturnType<typeof requestApproval>;
    const { seen } = await watched(() => request(s, lease, run, voiceOf(s, run)));
    const waiting = await s.runs.get(run.id);
    expect(waiting?.state).toBe('awaiting_approval');
    expect(waiting?.approval?.expiresAt).toBeDefined();
    expect(appendsOutsideScripts(seen, run.id)).toEqual([]);
    expect(scriptsWritingBoth(seen, run.id)).toHaveLength(1);
    expect(await outboxKinds(run.id)).toEqual(['approval_requested', 'root']);
    const [[, fields] = ['', []]] = await redis.xrange(keys.outbox(run.id), '-', '+');
    const request0 = JSON.parse(fields[1] ?? '{}') as { notice: { run: RunRecord } };
    // The request carries the record as written: the approval it asks for is on it.
    expect(request0.notice.run.approval?.digest).toBe(waiting?.approval?.digest);
    expect(request0.notice.run.state).toBe('awaiting_approval');
  });

  it('cancelling: the cancel and the root message that shows it in one EVAL, before the end is recorded', async () => {
    const run = await runIn('phase2');
    await s.runs.awaitApproval(run.id, () => ({}));
    const deps = {
      ...s,
      enqueue: async () => undefined,
      dropQueuedStart: async () => undefined,
      lease,
      newRunId: () => 'rnever' as RunId,
      newOffId: () => 'never',
      words: {} as CommandDeps['words'],
    } satisfies CommandDeps;
    // The reply's `after` (the run's end) is not run: the process "dies" right after the cancel.
    const { result: reply, seen } = await watched(() =>
      cancelRun(
        deps,
        { userId: ALICE as SlackUserId, channelId: CHANNEL, respond: async () => undefined },
        'staging',
      ),
    );
    expect(reply.outcome).toBe('accepted');
    expect((await s.runs.get(run.id))?.state).toBe('cancelled');
    expect(appendsOutsideScripts(seen, run.id)).toEqual([]);
    expect(scriptsWritingBoth(seen, run.id)).toHaveLength(1);
    const rows = await redis.xrange(keys.outbox(run.id), '-', '+');
    const notices = rows.map(
      ([, f]) => JSON.parse(f[1] ?? '{}') as { notice: { kind: string; run?: RunRecord } },
    );
    expect(notices.map((n) => n.notice.kind)).toEqual(['root']);
    expect(notices[0]?.notice.run).toMatchObject({
      state: 'cancelled',
      reason: coded(message('thread.note.cancelledBy', { who: ALICE })),
    });
  });

  it('a notifier that is no outbox hears the same notices through notify, once the change is made', async () => {
    const run = await runIn('phase3');
    const heard: { kind: string; state: string | undefined }[] = [];
    const notifier: RunNotifier = {
      notify: async (_thread, notice) => {
        const stored = await s.runs.get(run.id);
        heard.push({ kind: notice.kind, state: stored?.state });
      },
      handOffLogin: async () => {
        throw new Error('not in this test');
      },
    };
    await finishRun({ ...s, notifier }, run.id, endedReport(s, run, 'failed', 'x'), { threadNote: 'x' });
    expect(heard).toEqual([
      { kind: 'note', state: 'failed' },
      { kind: 'root', state: 'failed' },
      { kind: 'run_closed', state: 'failed' },
    ]);
    expect(await outboxKinds(run.id)).toEqual([]);
  });

  it('a refused change appends nothing: a second finish, an approval request for a cancelled run', async () => {
    const run = await runIn('phase3');
    expect(await finishRun(s, run.id, endedReport(s, run, 'failed', 'first'))).toBeDefined();
    const before = await outboxKinds(run.id);
    expect(await finishRun(s, run.id, endedReport(s, run, 'failed', 'second'), { threadNote: 'again' })).toBe(
      undefined,
    );
    expect(await outboxKinds(run.id)).toEqual(before);

    const other = await runIn('phase2');
    await s.runs.cancel(other, 'Cancelled by a test.', []);
    const request = requestApproval as (...args: unknown[]) => ReturnType<typeof requestApproval>;
    expect(await request(s, lease, other, voiceOf(s, other))).toBeUndefined();
    expect(await outboxKinds(other.id)).toEqual([]);
  });
});
