import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { OutboxNotice, RunNotice } from '../runs/notifier.ts';
import type { OutboxEntry, OutboxStore } from '../store/outbox.ts';
import { slackCode } from './chat.ts';
import { type DeliveryDeps, deliverNotice, rootRefused, type ThreadState } from './deliver.ts';
import { LeaseLost, noticeChat } from './notice-chat.ts';
import { ChannelPacer } from './pacer.ts';

export interface NotifierLoopOptions {
  readonly store: OutboxStore;
  readonly deliver: DeliveryDeps;
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
 * Slack's answers (ok: false) that a later try can get past: Slack's own trouble, and a token or
 * an install an operator can fix — the thread waits for them. Any other refusal is about the
 * message itself: retried, it would hold up every message after it in the conversation for
 * good, so it is dropped (and logged) and the rest go on.
 */
const WORTH_RETRYING = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'not_allowed_token_type',
]);

/**
 * The notifier (DESIGN §4a): drains the outboxes in order per conversation, one conversation
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
    if (!body) {
      o.deliver.log.warn({ thread, entry: entry.id }, 'unreadable outbox entry; passed over');
      if (!(await o.store.delivered(thread, o.owner, entry.id, state))) return lost(held, thread, sent);
      continue;
    }
    // Only the newest checklist and phase reply matter: an older update is passed over once its
    // message exists (the first one is posted, so it keeps its place in the thread).
    const place = placeOf(body);
    if (
      place &&
      placed(state, place) &&
      parsed.slice(i + 1).some((later) => later.body !== undefined && placeOf(later.body) === place)
    ) {
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
    try {
      state = await deliverNotice({ ...o.deliver, chat }, body.thread, state, body.notice);
    } catch (error) {
      if (error instanceof LeaseLost) break;
      if (!isPermanent(error)) {
        pacer.pause(body.thread.channel, retryAfterMs(error) ?? o.retryMs ?? 2_000);
        o.deliver.log.warn(
          { thread, notice: body.notice.kind, err: error },
          'slack call failed; kept for a retry',
        );
        break;
      }
      o.deliver.log.warn({ thread, notice: body.notice.kind, err: error }, 'slack refused a notice; dropped');
      // A run nobody can see must learn so: its worker waits for the root message before it changes anything.
      if (isRoot(body) && state.rootTs === undefined)
        await rootRefused(o.deliver, body.thread, slackCode(error) ?? 'refused').catch((cause: unknown) =>
          o.deliver.log.warn({ thread, err: cause }, 'could not record the refused root message'),
        );
    }
    if (!(await o.store.delivered(thread, o.owner, entry.id, state))) return lost(held, thread, sent);
    sent++;
  }
  return sent;
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

/** Every kind of notice the delivery knows; an entry of another kind is unreadable here. */
const NOTICE_KINDS = {
  root: true,
  event: true,
  note: true,
  approval_requested: true,
  approval_decided: true,
  outage_confirmation: true,
  outage_confirmed: true,
  run_closed: true,
  login_ended: true,
  login_void: true,
  kill_switch: true,
  break_glass: true,
  requester_dm: true,
  phase: true,
} as const satisfies Record<RunNotice['kind'], true>;

/** What the loop relies on before it hands an entry to the delivery: where it goes and what it is. */
const OutboxEntrySchema = z.looseObject({
  thread: z.looseObject({
    key: z.string().min(1),
    channel: z.string().min(1),
    runId: z.string().min(1).optional(),
  }),
  notice: z.looseObject({ kind: z.enum(Object.keys(NOTICE_KINDS) as [RunNotice['kind']]) }),
});

function parseEntry(body: string): OutboxNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  // The rest of each notice is this program's own JSON, written by encodeOutboxNotice.
  return OutboxEntrySchema.safeParse(value).success ? (value as OutboxNotice) : undefined;
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

function isPermanent(error: unknown): boolean {
  const code = slackCode(error);
  if (code === undefined) return false;
  return !WORTH_RETRYING.has(code);
}

/** The WebClient's rate-limit error carries Retry-After in seconds. */
function retryAfterMs(error: unknown): number | undefined {
  const after = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof after === 'number' ? after * 1000 : undefined;
}

export type { OutboxEntry };
