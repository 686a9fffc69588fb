import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../sim/slack/web-api.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { RunNotifier, ThreadRef } from '../../src/runs/notifier.ts';
import { notifierChat } from '../../src/slack/bot-services.ts';
import { cachedGroupDirectory } from '../../src/slack/groups.ts';
import { type NotifierLoop, startNotifierLoop } from '../../src/slack/notifier-loop.ts';
import { outboxNotifier } from '../../src/slack/outbox-notifier.ts';
import { keysFor } from '../../src/store/keys.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { REDIS_URL, uniqueName } from '../helpers/services.ts';

const CHANNEL = 'C0OUTBOX001';
const log = createLogger({ level: 'silent' });

let slack: FakeSlackApi;
let redis: Redis;
let deployment: string;
let store: OutboxStore;
let notifier: RunNotifier;
/** The notifiers' clock: frozen, moved by the test, so pacing and Retry-After need no timers. */
let clock: number;
const loops: NotifierLoop[] = [];

beforeAll(async () => {
  // Slack's clock is the notifiers' clock: its rate limit and their pace see the same seconds.
  slack = await startFakeSlackApi({ now: () => clock });
  slack.addChannel(CHANNEL, { name: 'outbox' });
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await slack.close();
  await redis.quit();
});

beforeEach(() => {
  slack.reset();
  deployment = uniqueName('pcv_outbox');
  const keys = keysFor(deployment);
  store = new OutboxStore(redis, keys);
  const chat = notifierChat({ botToken: slack.botToken, apiUrl: slack.apiUrl }, log);
  notifier = outboxNotifier(store, chat);
  clock = 1_000_000;
});

afterEach(async () => {
  await Promise.all(loops.splice(0).map((l) => l.stop()));
  const keys = await redis.keys(`{${deployment}}*`);
  if (keys.length > 0) await redis.del(...keys);
});

/** A notifier process; `drainOnce` only, no loop of its own, its lease `leaseMs` long. */
function notifierProcess(owner: string, leaseMs = 60_000): NotifierLoop {
  const keys = keysFor(deployment);
  const chat = notifierChat({ botToken: slack.botToken, apiUrl: slack.apiUrl }, log);
  const loop = startNotifierLoop(
    {
      store,
      deliver: { chat, runs: new RunStore(redis, keys), groups: cachedGroupDirectory(async () => []), log },
      owner,
      leaseMs,
      finalDrainMs: 0,
      retryMs: 2_000,
      now: () => clock,
    },
    false,
  );
  loops.push(loop);
  return loop;
}

function thread(key: string): ThreadRef {
  return { key, channel: CHANNEL };
}

/** A conversation: its root (a kill switch's, which needs no run record) and `replies` notes. */
async function conversation(key: string, replies: number): Promise<string[]> {
  await notifier.notify(thread(key), {
    kind: 'kill_switch',
    env: 'staging',
    by: 'U0BOB000001',
    outcome: 'working',
  });
  const texts = Array.from({ length: replies }, (_, i) => `${key} reply ${i + 1}`);
  for (const text of texts) await notifier.notify(thread(key), { kind: 'note', text });
  await notifier.notify(thread(key), {
    kind: 'kill_switch',
    env: 'staging',
    by: 'U0BOB000001',
    outcome: 'off',
  });
  return texts;
}

/** Drains until nothing is left, moving the clock a second between passes. */
async function drainAll(loop: NotifierLoop, maxPasses = 200): Promise<void> {
  for (let pass = 0; pass < maxPasses; pass++) {
    await loop.drainOnce();
    if ((await store.threads()).length === 0) return;
    clock += 1_000;
  }
  throw new Error('the outbox did not drain');
}

function rootOf(key: string): string {
  const roots = slack.messages(CHANNEL).filter((m) => m.text?.startsWith('Kill switch by'));
  const found = roots.find((r) => slack.thread(CHANNEL, r.ts).some((m) => m.text?.startsWith(key)));
  if (!found) throw new Error(`no root message for ${key}`);
  return found.ts;
}

function threadTexts(key: string): string[] {
  return slack.thread(CHANNEL, rootOf(key)).map((m) => m.text ?? '');
}

describe('the outbox and its notifier (DESIGN §4a)', () => {
  it('passes over an entry it cannot read and delivers the rest of the conversation', async () => {
    await notifier.notify(thread('odd'), {
      kind: 'kill_switch',
      env: 'staging',
      by: 'U0BOB000001',
      outcome: 'working',
    });
    // Damaged JSON, a notice of no known kind, one without its channel: written by something else.
    await store.append('odd', '{"thread":');
    await store.append('odd', JSON.stringify({ thread: thread('odd'), notice: { kind: 'telegram' } }));
    await store.append(
      'odd',
      JSON.stringify({ thread: { key: 'odd' }, notice: { kind: 'note', text: 'lost' } }),
    );
    await notifier.notify(thread('odd'), { kind: 'note', text: 'odd reply 1' });
    const loop = notifierProcess('n');
    await drainAll(loop);
    expect(threadTexts('odd')).toEqual(['odd reply 1']);
  });

  it('appends without waiting for Slack: a notice is recorded while Slack is down', async () => {
    slack.setDown(true);
    await conversation('down', 2);
    expect(slack.calls('chat.postMessage')).toHaveLength(0);
    expect(await store.threads()).toEqual(['down']);
  });

  it('a notifier killed mid-thread and another taking over lose and repeat nothing', async () => {
    const texts = await conversation('k', 8);
    const first = notifierProcess('first', 1);
    // The burst (3 posts) goes out, then the first notifier is gone without a word.
    await first.drainOnce();
    expect(slack.calls('chat.postMessage').length).toBe(3);
    await redis.del(keysFor(deployment).outboxLease('k'));
    await drainAll(notifierProcess('second'));
    expect(threadTexts('k')).toEqual(texts);
    const root = slack.message(CHANNEL, rootOf('k'));
    expect(root?.text).toContain('the Partner Center flag is OFF');
  });

  it('a 429 storm delays the thread, honours Retry-After, and loses or repeats nothing', async () => {
    const texts = await conversation('storm', 10);
    slack.rateLimitNext('chat.postMessage', 6, 5);
    const loop = notifierProcess('n');
    await loop.drainOnce();
    const limited = slack.calls('chat.postMessage').length;
    // Within the 5 s Retry-After the channel is left alone.
    clock += 4_000;
    await loop.drainOnce();
    expect(slack.calls('chat.postMessage').length).toBe(limited);
    await drainAll(loop);
    expect(threadTexts('storm')).toEqual(texts);
  });

  it('a Slack outage during a conversation: the thread catches up when Slack is back, in order', async () => {
    const loop = notifierProcess('n');
    const before = await conversation('o', 2);
    await drainAll(loop);
    slack.setDown(true);
    const during = Array.from({ length: 5 }, (_, i) => `o during ${i + 1}`);
    for (const text of during) await notifier.notify(thread('o'), { kind: 'note', text });
    for (let pass = 0; pass < 10; pass++) {
      await loop.drainOnce();
      clock += 2_000;
    }
    expect(threadTexts('o')).toEqual(before);
    slack.setDown(false);
    await drainAll(loop);
    expect(threadTexts('o')).toEqual([...before, ...during]);
  });

  it('two conversations in one channel under the rate limit each keep their order', async () => {
    slack.limitPosts({ perSecond: 1, burst: 3 });
    const a = await conversation('a', 6);
    const b = await conversation('b', 6);
    const loop = notifierProcess('n');
    await drainAll(loop);
    expect(threadTexts('a')).toEqual(a);
    expect(threadTexts('b')).toEqual(b);
    // The notifier's own pace keeps under Slack's: not one post was refused.
    expect(slack.calls('chat.postMessage').filter((c) => c.status === 429)).toEqual([]);
  });
});
