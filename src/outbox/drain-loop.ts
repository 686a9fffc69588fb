import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';
import type { OutboxEntry, OutboxStore, ThreadPlaces } from '../store/outbox.ts';
import { ChannelPacer } from './channel-pacer.ts';
import { type Chat, slackCode } from './chat-port.ts';
import { isPermanent, retryAfterMs } from './chat-refusals.ts';
import { LeaseLost, noticeChat } from './leased-chat.ts';
import { parseEntry } from './outbox-entry.ts';
import type { OutboxNotice, RunNotice, ThreadRef } from './run-notices.ts';

/** Where a conversation's messages are, as far as they were posted. */
type ThreadState = ThreadPlaces;

/** The chat adapter's side of delivery: its client, and how it turns one notice into calls. */
export interface Delivery {
  readonly chat: Chat;
  readonly log: Logger;
  /**
   * One notice turned into calls over `chat` (the loop's leased wrapper of `this.chat`). Throws
   * when the chat refuses or does not answer, so the loop can retry; every message id a later
   * click or reply needs is stored before it returns.
   */
  send(chat: Chat, thread: ThreadRef, state: ThreadState, notice: RunNotice): Promise<ThreadState>;
  /**
   * The chat refused a conversation's root message for good (`not_in_channel`…): the run is told,
   * since its worker waits for that message before it changes anything.
   */
  rootRefused(thread: ThreadRef, code: string): Promise<void>;
}

export interface NotifierLoopOptions {
  readonly store: OutboxStore;
  readonly deliver: Delivery;
  /** This process, for the per-conversation lease. */
  readonly owner: string;
  /**
   * How long a conversation stays this notifier's after its last look; renewed before each notice
   * and each further post. Its Slack client must give up on a call well within it (see
   * `notifierChat`). Default 15 s.
   */
  readonly leaseMs?: number;
  /** Pause between two passes over the outboxes when nothing could be sent. Default 100 ms. */
  readonly idleMs?: number;
  /** Wait after a failure that Slack gave no Retry-After for. Default 2 s. */
  readonly retryMs?: number;
  /** chat.postMessage per second per channel, after a burst of 3. Default 1 (Slack's limit). */
  readonly postsPerSecond?: number;
  /** At shutdown, how long the notifier goes on posting what is left. Default 2 s. */
  readonly finalDrainMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

export interface NotifierLoop {
  /** One pass over every outbox: what the pacing allows is delivered, in order per conversation. */
  drainOnce(): Promise<number>;
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 15_000;

/**
 * The notifier (docs/architecture.md#the-outbox): drains the outboxes in order per conversation, one conversation
 * per notifier at a time (a lease), about one message per second per channel, the newest
 * root update only, Retry-After honoured per channel. The delivered position is stored after
 * each message: a notifier killed and restarted goes on from the next one. The entry being
 * delivered is recorded before its first post, and every post is tagged with it: a retry of an
 * entry whose post may have reached Slack (an answer lost, a notifier killed before it stored
 * `delivered`) finds that message instead of posting it again.
 */
export function startNotifierLoop(o: NotifierLoopOptions, run = true): NotifierLoop {
  const now = o.now ?? Date.now;
  const pacer = new ChannelPacer(now, o.postsPerSecond ?? 1);
  const stopping = new AbortController();
  const held = new Set<string>();
  /** One pass; `untilStopped`: give up at a shutdown (the final drain goes on regardless). */
  const pass = async (untilStopped: boolean) => {
    let sent = 0;
    for (const thread of await o.store.threads()) {
      if (untilStopped && stopping.signal.aborted) break;
      sent += await drainThread(o, pacer, thread, held, now);
    }
    return sent;
  };
  const drainOnce = () => pass(true);
  const loop = (async () => {
    while (run && !stopping.signal.aborted) {
      const sent = await drainOnce().catch((error: unknown) => {
        o.deliver.log.warn({ err: error }, 'notifier pass failed; trying again');
        return 0;
      });
      if (sent === 0)
        await (o.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })))(
          o.idleMs ?? 100,
          stopping.signal,
        ).catch(() => undefined);
    }
  })();
  return {
    drainOnce,
    stop: async () => {
      stopping.abort();
      await loop;
      // What this process's last moments appended (a hand-back note) goes out now if it can.
      const until = now() + (o.finalDrainMs ?? 2_000);
      while (now() < until && (await pass(false).catch(() => 0)) > 0);
      // The next notifier need not wait for the leases to run out.
      await Promise.allSettled([...held].map((thread) => o.store.release(thread, o.owner)));
    },
  };
}

async function drainThread(
  o: NotifierLoopOptions,
  pacer: ChannelPacer,
  thread: string,
  held: Set<string>,
  now: () => number,
): Promise<number> {
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(await o.store.lease(thread, o.owner, leaseMs))) return 0;
  held.add(thread);
  const progress = await o.store.progress(thread);
  const entries = await o.store.after(thread, progress.delivered, 50);
  if (entries.length === 0) {
    await o.store.settled(thread, progress.delivered);
    await o.store.release(thread, o.owner);
    held.delete(thread);
    return 0;
  }
  // A notifier that stalled past its lease (a slow Slack, a paused process) may have been taken
  // over: what this pass read is then stale, and it stops without another post or write.
  const stillOurs = async () => {
    if (await o.store.renew(thread, o.owner, leaseMs)) return true;
    held.delete(thread);
    o.deliver.log.warn({ thread }, 'the conversation went to another notifier; this pass stops');
    return false;
  };
  const parsed = entries.map((e) => ({ entry: e, body: parseEntry(e.body) }));
  // After Redis lost its data, the notices still name the root message the run knew of.
  const rootTs = progress.rootTs ?? parsed.find((p) => p.body?.thread.rootTs)?.body?.thread.rootTs;
  let state: ThreadState = {
    ...(rootTs ? { rootTs } : {}),
    ...(progress.replies ? { replies: progress.replies } : {}),
  };
  let sent = 0;
  for (const [i, { entry, body }] of parsed.entries()) {
    // Written by another version, or damaged: nothing can be posted from it, and it must not
    // hold up the conversation behind it.
    if (!body) o.deliver.log.warn({ thread, entry: entry.id }, 'unreadable outbox entry; passed over');
    if (!body || superseded(state, body, parsed.slice(i + 1))) {
      if (!(await o.store.delivered(thread, o.owner, entry.id, state))) return lost(held, thread, sent);
      continue;
    }
    // Slack's per-channel limit is on posts; a root update in place costs none of it.
    if (postsMessage(body, state) && !pacer.take(body.thread.channel)) break;
    if (pacer.paused(body.thread.channel)) break;
    if (!(await stillOurs())) break;
    // Attempted before (this notifier's failed try, or one that died): its posts may be in Slack.
    const before = progress.attempt?.entry === entry.id ? progress.attempt.atMs : undefined;
    if (before === undefined && !(await o.store.attempt(thread, o.owner, entry.id, now())))
      return lost(held, thread, sent);
    const chat = noticeChat(
      o.deliver.chat,
      { thread, entry: entry.id, ...(before === undefined ? {} : { attemptedAtMs: before }) },
      { stillOurs, log: o.deliver.log },
    );
    const outcome = await sendOne(o, pacer, chat, state, body);
    if (outcome === 'stop') break;
    state = outcome;
    if (!(await o.store.delivered(thread, o.owner, entry.id, state))) return lost(held, thread, sent);
    sent++;
  }
  return sent;
}

/**
 * One notice through the chat adapter: the places it posted, or `stop` when the conversation
 * must wait (the lease went elsewhere, or a refusal a later try can get past). A refusal about
 * the message itself drops the notice: retried, it would hold up the conversation for good.
 */
async function sendOne(
  o: NotifierLoopOptions,
  pacer: ChannelPacer,
  chat: Chat,
  state: ThreadState,
  body: OutboxNotice,
): Promise<ThreadState | 'stop'> {
  const where = { thread: body.thread.key, notice: body.notice.kind };
  try {
    return await o.deliver.send(chat, body.thread, state, body.notice);
  } catch (error) {
    if (error instanceof LeaseLost) return 'stop';
    if (!isPermanent(error)) {
      pacer.pause(body.thread.channel, retryAfterMs(error) ?? o.retryMs ?? 2_000);
      o.deliver.log.warn({ ...where, err: error }, 'slack call failed; kept for a retry');
      return 'stop';
    }
    o.deliver.log.warn({ ...where, err: error }, 'slack refused a notice; dropped');
    if (isRoot(body) && state.rootTs === undefined)
      await o.deliver
        .rootRefused(body.thread, slackCode(error) ?? 'refused')
        .catch((cause: unknown) =>
          o.deliver.log.warn({ ...where, err: cause }, 'the refused root message was not recorded'),
        );
    return state;
  }
}

/**
 * Only the newest checklist and phase reply matter: an older update is passed over once its
 * message exists (the first one is posted, so it keeps its place in the thread).
 */
function superseded(
  state: ThreadState,
  body: OutboxNotice,
  later: readonly { readonly body: OutboxNotice | undefined }[],
): boolean {
  const place = placeOf(body);
  return (
    place !== undefined &&
    placed(state, place) &&
    later.some((next) => next.body !== undefined && placeOf(next.body) === place)
  );
}

/** The message a notice rewrites in place: the root, or one phase reply. */
function placeOf(body: OutboxNotice): string | undefined {
  if (isRoot(body)) return 'root';
  return body.notice.kind === 'phase' ? `reply:${body.notice.key}` : undefined;
}

function placed(state: ThreadState, place: string): boolean {
  return place === 'root'
    ? state.rootTs !== undefined
    : state.replies?.[place.slice('reply:'.length)] !== undefined;
}

/** The lease ran out or went elsewhere between two writes: the conversation is not this pass's any more. */
function lost(held: Set<string>, thread: string, sent: number): number {
  held.delete(thread);
  return sent;
}

function postsMessage(body: OutboxNotice, state: ThreadState): boolean {
  const place = placeOf(body);
  if (place) return !placed(state, place);
  // Updates in place only: no post.
  const kind = body.notice.kind;
  return kind !== 'login_void' && kind !== 'outage_confirmed' && kind !== 'run_closed';
}

function isRoot(body: OutboxNotice): boolean {
  return (
    body.notice.kind === 'root' || body.notice.kind === 'kill_switch' || body.notice.kind === 'break_glass'
  );
}

export type { OutboxEntry };
