import { messageJson } from './chat-methods.ts';
import { boolArg, stringArg } from './http-body.ts';
import { type ApiReply, fail, type MethodContext, type MethodSpec } from './method-types.ts';
import type { FakeChannel, FakeMessage } from './workspace.ts';

/** Every history scope: what Slack names as `needed` when the token has none that fits. */
const HISTORY_SCOPES = ['channels:history', 'groups:history', 'mpim:history', 'im:history'] as const;

/** Slack's page sizes: history up to 999 (default 100), a thread up to 1000 (default 1000). */
const HISTORY_LIMIT = { fallback: 100, max: 999 };
const REPLIES_LIMIT = { fallback: 1000, max: 1000 };

type Readable =
  | { readonly kind: 'ok'; readonly channel: FakeChannel }
  | { readonly kind: 'err'; readonly reply: ApiReply };

/**
 * A bot token reads the conversations the bot is in, with the history scope of that kind of
 * conversation: `im:history` for a DM, `groups:history` for a private channel, else `channels:history`.
 */
function readableChannel(ctx: MethodContext): Readable {
  const ref = stringArg(ctx.args, 'channel');
  const channel = ref === undefined ? undefined : ctx.ws.findChannel(ref);
  if (channel === undefined) return { kind: 'err', reply: fail('channel_not_found') };
  const needed =
    channel.imUser !== undefined ? 'im:history' : channel.isPrivate ? 'groups:history' : 'channels:history';
  if (!ctx.scopes.has(needed))
    return {
      kind: 'err',
      reply: fail('missing_scope', { needed: HISTORY_SCOPES.join(','), provided: [...ctx.scopes].join(',') }),
    };
  // A private conversation the bot is not in does not exist as far as its token can tell.
  if (!channel.botIsMember)
    return { kind: 'err', reply: fail(channel.isPrivate ? 'channel_not_found' : 'not_in_channel') };
  return { kind: 'ok', channel };
}

/** A ts (`1732831312.000200`, or whole seconds) in microseconds; exact where a float is not. */
function micros(ts: string): number | undefined {
  const match = /^(\d+)(?:\.(\d{0,6})\d*)?$/.exec(ts.trim());
  if (match === null) return undefined;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

type Window =
  | { readonly kind: 'ok'; readonly after: (m: FakeMessage) => boolean }
  | { readonly kind: 'err'; readonly reply: ApiReply };

/**
 * `oldest` (default 0) and `latest` (default now, i.e. no bound: no message is from the future,
 * even when the fake's frozen clock issued several ts within one millisecond): exclusive bounds,
 * inclusive with `inclusive`. A message with the same ts as either bound is left out otherwise.
 */
function timeWindow(ctx: MethodContext): Window {
  const oldestArg = stringArg(ctx.args, 'oldest');
  const latestArg = stringArg(ctx.args, 'latest');
  const oldest = oldestArg === undefined ? 0 : micros(oldestArg);
  const latest = latestArg === undefined ? Number.POSITIVE_INFINITY : micros(latestArg);
  if (oldest === undefined) return { kind: 'err', reply: fail('invalid_ts_oldest') };
  if (latest === undefined) return { kind: 'err', reply: fail('invalid_ts_latest') };
  const inclusive = boolArg(ctx.args, 'inclusive');
  return {
    kind: 'ok',
    after: (m) => {
      const at = micros(m.ts) ?? 0;
      return inclusive ? at >= oldest && at <= latest : at > oldest && at < latest;
    },
  };
}

function pageSize(args: Record<string, unknown>, bounds: { fallback: number; max: number }): number {
  const asked = Number(stringArg(args, 'limit') ?? Number.NaN);
  if (!Number.isFinite(asked) || asked < 1) return bounds.fallback;
  return Math.min(Math.floor(asked), bounds.max);
}

/** Slack's cursors are opaque; its own are base64 of `next_ts:<ts>`, and so are these. */
function cursorOf(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

type Cursor =
  | { readonly kind: 'ok'; readonly ts: string | undefined }
  | { readonly kind: 'err'; readonly reply: ApiReply };

function readCursor(args: Record<string, unknown>): Cursor {
  const raw = stringArg(args, 'cursor');
  if (raw === undefined) return { kind: 'ok', ts: undefined };
  const match = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(raw, 'base64').toString('utf8'));
  return match?.[1] === undefined
    ? { kind: 'err', reply: fail('invalid_cursor') }
    : { kind: 'ok', ts: match[1] };
}

/** One page of `ordered` starting at the cursor: its messages, and the cursor of the next one. */
function page(
  ordered: readonly FakeMessage[],
  cursor: string | undefined,
  limit: number,
): { items: FakeMessage[]; next: string | undefined } {
  const start = cursor === undefined ? 0 : ordered.findIndex((m) => m.ts === cursor);
  const from = start < 0 ? ordered.length : start;
  const items = ordered.slice(from, from + limit);
  const following = ordered[from + limit];
  return { items, next: following === undefined ? undefined : following.ts };
}

function listJson(m: FakeMessage, all: readonly FakeMessage[], ctx: MethodContext): Record<string, unknown> {
  const replies = all.filter((r) => r.threadTs === m.ts);
  const last = replies.at(-1);
  return {
    ...messageJson(m, ctx.ws.identity, { metadata: boolArg(ctx.args, 'include_all_metadata') }),
    ...(last === undefined
      ? {}
      : {
          thread_ts: m.ts,
          reply_count: replies.length,
          reply_users: [...new Set(replies.map((r) => r.user))],
          reply_users_count: new Set(replies.map((r) => r.user)).size,
          latest_reply: last.ts,
        }),
  };
}

function paged(items: Record<string, unknown>[], next: string | undefined): ApiReply {
  return {
    ok: true,
    messages: items,
    has_more: next !== undefined,
    ...(next === undefined ? {} : { response_metadata: { next_cursor: cursorOf(next) } }),
  };
}

/**
 * conversations.history: the channel's own messages (thread replies only when broadcast), newest
 * first, between `oldest` and `latest`, `limit` at a time with a cursor.
 */
const history: MethodSpec = {
  scope: undefined,
  acceptedScopes: HISTORY_SCOPES,
  tokenType: 'bot',
  handle(ctx) {
    const target = readableChannel(ctx);
    if (target.kind === 'err') return target.reply;
    const window = timeWindow(ctx);
    if (window.kind === 'err') return window.reply;
    const cursor = readCursor(ctx.args);
    if (cursor.kind === 'err') return cursor.reply;
    const all = ctx.ws.allMessages(target.channel.id);
    const ordered = all
      .filter((m) => (m.threadTs === undefined || m.replyBroadcast) && window.after(m))
      .reverse();
    const { items, next } = page(ordered, cursor.ts, pageSize(ctx.args, HISTORY_LIMIT));
    return {
      ...paged(
        items.map((m) => listJson(m, all, ctx)),
        next,
      ),
      pin_count: 0,
    };
  },
};

/**
 * conversations.replies: a thread, oldest first; `ts` may name the parent or any reply in it.
 * The first page starts with the parent whatever the time window; later pages leave it out.
 */
const replies: MethodSpec = {
  scope: undefined,
  acceptedScopes: HISTORY_SCOPES,
  tokenType: 'bot',
  handle(ctx) {
    const target = readableChannel(ctx);
    if (target.kind === 'err') return target.reply;
    const ts = stringArg(ctx.args, 'ts');
    if (ts === undefined)
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: ts'] },
      });
    const window = timeWindow(ctx);
    if (window.kind === 'err') return window.reply;
    const cursor = readCursor(ctx.args);
    if (cursor.kind === 'err') return cursor.reply;
    const all = ctx.ws.allMessages(target.channel.id);
    const named = ctx.ws.findMessage(target.channel.id, ts);
    const parent =
      named?.threadTs === undefined ? named : ctx.ws.findMessage(target.channel.id, named.threadTs);
    if (parent === undefined) return fail('thread_not_found');
    const thread = all.filter((m) => m.threadTs === parent.ts && window.after(m));
    const limit = pageSize(ctx.args, REPLIES_LIMIT);
    if (cursor.ts === undefined) {
      const { items, next } = page(thread, undefined, limit - 1);
      return paged(
        [parent, ...items].map((m) => listJson(m, all, ctx)),
        next,
      );
    }
    const { items, next } = page(thread, cursor.ts, limit);
    return paged(
      items.map((m) => listJson(m, all, ctx)),
      next,
    );
  },
};

export const HISTORY_METHODS: Readonly<Record<string, MethodSpec>> = {
  'conversations.history': history,
  'conversations.replies': replies,
};
