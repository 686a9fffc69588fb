import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../sim/slack/web-api.ts';
import { translator } from '../../src/i18n/index.ts';
import { notifierChat } from '../../src/main/open-stores.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type NotifierLoop, startNotifierLoop } from '../../src/outbox/drain-loop.ts';
import { outboxNotifier } from '../../src/outbox/outbox-notifier.ts';
import type { RunNotifier, ThreadRef } from '../../src/outbox/run-notices.ts';
import type { Chat } from '../../src/slack/chat.ts';
import { slackDelivery } from '../../src/slack/deliver.ts';
import { cachedGroupDirectory } from '../../src/slack/groups.ts';
import { handOffInDm } from '../../src/slack/login-handoff.ts';
import { keysFor } from '../../src/store/keys.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { pollUntil } from '../helpers/poll.ts';
import { REDIS_URL, uniqueName } from '../helpers/services.ts';
import { queuedRun } from '../helpers/store.ts';

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
  notifier = outboxNotifier(store, (login, remember) => handOffInDm(translator('en'), chat, login, remember));
  clock = 1_000_000;
});

afterEach(async () => {
  await Promise.all(loops.splice(0).map((l) => l.stop()));
  const keys = await redis.keys(`{${deployment}}*`);
  if (keys.length > 0) await redis.del(...keys);
});

/**
 * A notifier process; `drainOnce` only, no loop of its own, its lease `leaseMs` long. `around`
 * wraps its Slack client (to act between two of its calls); `outbox` replaces its store.
 */
function notifierProcess(
  owner: string,
  leaseMs = 60_000,
  { around, outbox }: { around?: (chat: Chat) => Chat; outbox?: OutboxStore } = {},
): NotifierLoop {
  const keys = keysFor(deployment);
  const slackChat = notifierChat({ botToken: slack.botToken, apiUrl: slack.apiUrl }, log, leaseMs);
  const chat = around ? around(slackChat) : slackChat;
  const loop = startNotifierLoop(
    {
      store: outbox ?? store,
      deliver: slackDelivery({
        chat,
        runs: new RunStore(redis, keys),
        groups: cachedGroupDirectory(async () => []),
        log,
      }),
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

describe('the outbox and its notifier', () => {
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
    const first = notifierProcess('first');
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

/** The notifier's calls to Slack whose answer the fake dropped: proof that a fault fired. */
function lostPosts(): number {
  return slack.calls('chat.postMessage').filter((c) => c.lost).length;
}

describe('a message Slack refuses for what it is', () => {
  it('is dropped after one try and the conversation goes on behind it', async () => {
    const texts = await conversation('refused', 3);
    const loop = notifierProcess('only');
    // An unknown refusal of this one message: retried, it would hold up the rest for good.
    slack.failNext('chat.postMessage', 'restricted_action', 1, (args) => args.text === texts[0]);
    await drainAll(loop);
    expect(threadTexts('refused')).toEqual(texts.slice(1));
    expect(slack.calls('chat.postMessage').filter((c) => c.args.text === texts[0])).toHaveLength(1);
  });

  it('two conversations whose entries have the same stream id: a lost root answer finds its own root', async () => {
    // Stream ids are numbered per outbox: two conversations appending in one millisecond get the
    // same ones. The metadata names the conversation, so a look-up cannot take the other's root.
    const keys = keysFor(deployment);
    const put = async (key: string) => {
      const root = { kind: 'kill_switch', env: 'staging', by: 'U0BOB000001', outcome: 'working' };
      await redis.xadd(keys.outbox(key), '5-1', 'n', JSON.stringify({ thread: thread(key), notice: root }));
      const note = { kind: 'note', text: `${key} reply 1` };
      await redis.xadd(keys.outbox(key), '5-2', 'n', JSON.stringify({ thread: thread(key), notice: note }));
      await redis.sadd(keys.outboxThreads, key);
    };
    // twin-b's root reaches Slack but its answer is lost; twin-a's root is posted after it (by
    // another notifier), so it is the newest tagged 5-1 when twin-b's notifier looks.
    const loop = notifierProcess('only');
    await put('twin-b');
    slack.loseNextAnswer('chat.postMessage', 1, (args) => !args.thread_ts);
    await loop.drainOnce();
    await put('twin-a');
    const other = notifierProcess('other');
    await other.drainOnce();
    // Its next pass finds twin-a delivered and lets it go.
    await other.drainOnce();
    await drainAll(loop);
    expect(threadTexts('twin-a')).toEqual(['twin-a reply 1']);
    expect(threadTexts('twin-b')).toEqual(['twin-b reply 1']);
    expect(slack.messages(CHANNEL).filter((m) => m.text?.startsWith('Kill switch by'))).toHaveLength(2);
  });
});

describe('a message whose answer was lost is not posted again (docs/architecture.md, issue 13)', () => {
  it('a reply that reached Slack but whose answer was lost is in the thread once, in order', async () => {
    const texts = await conversation('lost', 4);
    slack.loseNextAnswer('chat.postMessage', 1, (args) => args.text === 'lost reply 2');
    await drainAll(notifierProcess('n'));
    expect(lostPosts()).toBe(1);
    expect(threadTexts('lost')).toEqual(texts);
    // The retry looked in the thread, and only the retry did.
    expect(slack.calls('conversations.replies')).toHaveLength(1);
  });

  it('a root message whose answer was lost is posted once, and its thread goes under it', async () => {
    const texts = await conversation('lost-root', 2);
    slack.loseNextAnswer('chat.postMessage', 1, (args) => args.thread_ts === undefined);
    await drainAll(notifierProcess('n'));
    expect(lostPosts()).toBe(1);
    expect(slack.messages(CHANNEL).filter((m) => m.text?.startsWith('Kill switch by'))).toHaveLength(1);
    expect(threadTexts('lost-root')).toEqual(texts);
    expect(slack.calls('conversations.history')).toHaveLength(1);
  });

  it("the notifier's Slack calls give up well within its lease, so none outlasts it", async () => {
    // A lease of 600 ms: a call may take 200 ms. Slack answering after a second is not waited for.
    slack.setLatency(1_000);
    try {
      await conversation('slow', 1);
      const loop = notifierProcess('n', 600);
      await loop.drainOnce();
      const failed = await pollUntil(() => slack.calls('chat.postMessage')[0], {
        what: 'the post to arrive',
      });
      expect(failed.args.text).toMatch(/^Kill switch by/);
      expect((await store.progress('slow')).delivered).toBeUndefined();
    } finally {
      slack.setLatency(0);
    }
  });

  it('every message the notifier posts names its outbox entry and its part in the metadata', async () => {
    await conversation('tagged', 2);
    await drainAll(notifierProcess('n'));
    const posts = slack.calls('chat.postMessage');
    expect(posts.length).toBe(3);
    for (const post of posts)
      expect(post.args.metadata).toEqual({
        event_type: 'pcv_notice',
        event_payload: { thread: 'tagged', entry: expect.stringMatching(/^\d+-\d+$/), part: 0 },
      });
    const entries = posts.map(
      (p) => (p.args.metadata as { event_payload: { entry: string } }).event_payload.entry,
    );
    expect(new Set(entries).size).toBe(3);
  });

  it('a notifier killed after a post and before its delivery was stored: the next one does not repeat it', async () => {
    const texts = await conversation('killed', 5);
    let died = false;
    // The process dies at the store write that follows the post of reply 2: Slack has the
    // message, the outbox does not know.
    class DiesAfterReply2 extends OutboxStore {
      override async delivered(...args: Parameters<OutboxStore['delivered']>): Promise<boolean> {
        const posted = slack.calls('chat.postMessage').some((c) => c.args.text === 'killed reply 2');
        if (posted && !died) {
          died = true;
          throw new Error('SIGKILL');
        }
        return super.delivered(...args);
      }
    }
    const first = notifierProcess('first', 60_000, {
      outbox: new DiesAfterReply2(redis, keysFor(deployment)),
    });
    await expect(first.drainOnce()).rejects.toThrow('SIGKILL');
    expect(died).toBe(true);
    // Its lease dies with it; another notifier takes the conversation over.
    await redis.del(keysFor(deployment).outboxLease('killed'));
    await drainAll(notifierProcess('second'));
    expect(threadTexts('killed')).toEqual(texts);
  });

  it('an approval request whose second post failed does not repeat the first', async () => {
    await notifier.notify(thread('appr'), {
      kind: 'kill_switch',
      env: 'staging',
      by: 'U0BOB000001',
      outcome: 'working',
    });
    await notifier.notify(thread('appr'), {
      kind: 'approval_requested',
      run: queuedRun('staging' as never),
      approvers: ['U0APPROVER1'],
      expiresAt: new Date(clock + 3_600_000).toISOString(),
    });
    await notifier.notify(thread('appr'), { kind: 'note', text: 'appr after' });
    // The request is the broadcast reply: the first post (the "awaiting approval" line) got through.
    slack.failNext('chat.postMessage', 'internal_error', 1, (args) => args.reply_broadcast === 'true');
    await drainAll(notifierProcess('n'));
    const root = slack.messages(CHANNEL).find((m) => m.text?.startsWith('Kill switch by'));
    const texts = slack.thread(CHANNEL, root?.ts ?? '').map((m) => m.text ?? '');
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^:raising_hand: Phases 0–2 passed/);
    expect(texts[1]).toContain('approval needed');
    expect(texts[2]).toBe('appr after');
  });

  it('a notifier whose lease another took mid-pass stops: it posts and records nothing more', async () => {
    await conversation('stolen', 4);
    const lease = keysFor(deployment).outboxLease('stolen');
    // Right after its first reply the notifier stalls past its lease and another one takes over.
    const stealAfterReply1 = (chat: Chat): Chat => ({
      ...chat,
      async post(...args) {
        const ts = await chat.post(...args);
        if (args[1] === 'stolen reply 1') await redis.set(lease, 'thief', 'PX', 60_000);
        return ts;
      },
    });
    const first = notifierProcess('first', 60_000, { around: stealAfterReply1 });
    await first.drainOnce();
    const texts = slack.calls('chat.postMessage').map((c) => c.args.text);
    expect(texts.at(-1)).toBe('stolen reply 1');
    expect(texts).not.toContain('stolen reply 2');
    // What it posted last is not recorded as delivered: the thief's pass checks Slack for it.
    const entries = await store.after('stolen', undefined, 10);
    expect((await store.progress('stolen')).delivered).toBe(entries[0]?.id);
    expect(await redis.get(lease)).toBe('thief');
  });
});
