import { validateBlocks } from './blocks.ts';
import { stringArg } from './http-body.ts';
import { type ApiReply, fail, type MethodContext, type MethodSpec } from './method-types.ts';
import type { FakeChannel, FakeMessage, FakeMessageMetadata, Identity, MessageContent } from './workspace.ts';

/** Slack truncates past 40k characters and refuses past that with `msg_too_long`. */
const MAX_TEXT = 40_000;
const MAX_MESSAGE_BLOCKS = 50;

export type ContentCheck =
  | { readonly kind: 'ok'; readonly content: MessageContent }
  | { readonly kind: 'err'; readonly reply: ApiReply };

/** `previous` (chat.update): fields left out keep their current value, as on Slack. */
export function readContent(args: Record<string, unknown>, previous?: MessageContent): ContentCheck {
  const text = stringArg(args, 'text');
  const hasBlocks = args.blocks !== undefined && args.blocks !== '';
  const hasAttachments = args.attachments !== undefined && args.attachments !== '';
  if (text === undefined && !hasBlocks && !hasAttachments) return { kind: 'err', reply: fail('no_text') };
  if (text !== undefined && text.length > MAX_TEXT) return { kind: 'err', reply: fail('msg_too_long') };
  if (hasBlocks) {
    const verdict = validateBlocks(args.blocks, MAX_MESSAGE_BLOCKS);
    if (verdict.kind === 'invalid_blocks_format')
      return { kind: 'err', reply: fail('invalid_blocks_format') };
    if (verdict.kind === 'invalid_blocks') {
      const messages = verdict.errors.map((error) => `[ERROR] ${error}`);
      return {
        kind: 'err',
        reply: fail('invalid_blocks', { errors: verdict.errors, response_metadata: { messages } }),
      };
    }
  }
  if (hasAttachments && !Array.isArray(args.attachments))
    return { kind: 'err', reply: fail('invalid_attachments') };
  return {
    kind: 'ok',
    content: {
      text: text ?? previous?.text,
      blocks: hasBlocks ? (args.blocks as unknown[]) : previous?.blocks,
      attachments: hasAttachments ? (args.attachments as unknown[]) : previous?.attachments,
    },
  };
}

type ChannelCheck =
  | { readonly kind: 'ok'; readonly channel: FakeChannel }
  | { readonly kind: 'err'; readonly reply: ApiReply };

function postableChannel(ctx: MethodContext): ChannelCheck {
  const ref = stringArg(ctx.args, 'channel');
  const channel = ref === undefined ? undefined : ctx.ws.findChannel(ref);
  if (channel === undefined) return { kind: 'err', reply: fail('channel_not_found') };
  const publicPost = channel.id.startsWith('C') && ctx.scopes.has('chat:write.public');
  if (!channel.botIsMember && !publicPost) return { kind: 'err', reply: fail('not_in_channel') };
  return { kind: 'ok', channel };
}

type MetadataCheck =
  | { readonly kind: 'ok'; readonly metadata: FakeMessageMetadata | undefined }
  | { readonly kind: 'err'; readonly reply: ApiReply };

/** Slack's event type: a short alphanumeric name (underscores allowed); the payload an object. */
const EVENT_TYPE = /^[A-Za-z0-9_]{1,255}$/;

/** chat.postMessage's `metadata`: JSON that is not an object is a format error, a wrong shape a schema one. */
function readMetadata(args: Record<string, unknown>): MetadataCheck {
  const raw = args.metadata;
  if (raw === undefined || raw === '') return { kind: 'ok', metadata: undefined };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { kind: 'err', reply: fail('invalid_metadata_format') };
  const { event_type: type, event_payload: payload } = raw as Record<string, unknown>;
  if (typeof type !== 'string' || !EVENT_TYPE.test(type))
    return { kind: 'err', reply: fail('invalid_metadata_schema') };
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { kind: 'err', reply: fail('invalid_metadata_schema') };
  return {
    kind: 'ok',
    metadata: { event_type: type, event_payload: structuredClone(payload as Record<string, unknown>) },
  };
}

/**
 * A message as Slack returns it. Its metadata only where the caller asked for it
 * (conversations.history / conversations.replies with `include_all_metadata`, and the
 * poster's own chat.postMessage answer).
 */
export function messageJson(
  message: FakeMessage,
  identity: Identity,
  options: { readonly metadata?: boolean } = {},
): Record<string, unknown> {
  return {
    type: 'message',
    ...(message.replyBroadcast ? { subtype: 'thread_broadcast' } : {}),
    ...(message.text === undefined ? {} : { text: message.text }),
    user: message.user,
    bot_id: message.botId,
    app_id: identity.appId,
    team: identity.teamId,
    ts: message.ts,
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    ...(message.editedTs === undefined ? {} : { edited: { user: message.user, ts: message.editedTs } }),
    ...(options.metadata === true && message.metadata !== undefined ? { metadata: message.metadata } : {}),
    bot_profile: {
      id: message.botId,
      app_id: identity.appId,
      name: identity.botName,
      team_id: identity.teamId,
    },
  };
}

const postMessage: MethodSpec = {
  scope: 'chat:write',
  tokenType: 'bot',
  handle(ctx) {
    const target = postableChannel(ctx);
    if (target.kind === 'err') return target.reply;
    const checked = readContent(ctx.args);
    if (checked.kind === 'err') return checked.reply;
    const meta = readMetadata(ctx.args);
    if (meta.kind === 'err') return meta.reply;
    const { ws } = ctx;
    const threadArg = stringArg(ctx.args, 'thread_ts');
    const parent = threadArg === undefined ? undefined : ws.findMessage(target.channel.id, threadArg);
    // Replies to a reply land under the thread's root; an unknown thread_ts posts top-level.
    const threadTs = parent === undefined ? undefined : (parent.threadTs ?? parent.ts);
    const message: FakeMessage = {
      ...checked.content,
      channel: target.channel.id,
      ts: ws.clock.next(),
      threadTs,
      replyBroadcast: threadTs !== undefined && ctx.args.reply_broadcast === 'true',
      user: ws.identity.botUserId,
      botId: ws.identity.botId,
      versions: [checked.content],
      editedTs: undefined,
      ...(meta.metadata === undefined ? {} : { metadata: meta.metadata }),
    };
    ws.addMessage(message);
    return {
      ok: true,
      channel: message.channel,
      ts: message.ts,
      message: messageJson(message, ws.identity, { metadata: true }),
    };
  },
};

const postEphemeral: MethodSpec = {
  scope: 'chat:write',
  tokenType: 'bot',
  handle(ctx) {
    const userId = stringArg(ctx.args, 'user');
    if (userId === undefined || ctx.ws.user(userId) === undefined) return fail('user_not_found');
    const target = postableChannel(ctx);
    if (target.kind === 'err') return target.reply;
    const members = target.channel.members;
    if (members !== undefined && !members.has(userId)) return fail('user_not_in_channel');
    const checked = readContent(ctx.args);
    if (checked.kind === 'err') return checked.reply;
    const messageTs = ctx.ws.clock.next();
    const threadTs = stringArg(ctx.args, 'thread_ts');
    ctx.ws.addEphemeral({
      ...checked.content,
      ...(threadTs === undefined ? {} : { threadTs }),
      channel: target.channel.id,
      user: userId,
      messageTs,
      via: 'chat.postEphemeral',
    });
    return { ok: true, message_ts: messageTs };
  },
};

const update: MethodSpec = {
  scope: 'chat:write',
  tokenType: 'bot',
  handle(ctx) {
    const { ws } = ctx;
    const ref = stringArg(ctx.args, 'channel');
    const channel = ref === undefined ? undefined : ws.findChannel(ref);
    if (channel === undefined) return fail('channel_not_found');
    const ts = stringArg(ctx.args, 'ts');
    const current = ts === undefined ? undefined : ws.findMessage(channel.id, ts);
    if (current === undefined) return fail('message_not_found');
    if (current.botId !== ws.identity.botId) return fail('cant_update_message');
    const checked = readContent(ctx.args, current);
    if (checked.kind === 'err') return checked.reply;
    const updated: FakeMessage = {
      ...current,
      ...checked.content,
      versions: [...current.versions, checked.content],
      editedTs: ws.clock.next(),
    };
    ws.replaceMessage(updated);
    return {
      ok: true,
      channel: channel.id,
      ts: updated.ts,
      text: updated.text ?? '',
      message: messageJson(updated, ws.identity),
    };
  },
};

/**
 * Slack's permalink: the workspace host, `/archives/<channel>/p<ts without the dot>`, and for a
 * thread reply `?thread_ts=<parent>&cid=<channel>`.
 */
const getPermalink: MethodSpec = {
  scope: undefined,
  tokenType: 'bot',
  handle({ ws, args }) {
    const ref = stringArg(args, 'channel');
    const channel = ref === undefined ? undefined : ws.findChannel(ref);
    if (channel === undefined) return fail('channel_not_found');
    const ts = stringArg(args, 'message_ts');
    const message = ts === undefined ? undefined : ws.findMessage(channel.id, ts);
    if (message === undefined) return fail('message_not_found');
    const base = `https://${ws.identity.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    const permalink =
      message.threadTs === undefined ? base : `${base}?thread_ts=${message.threadTs}&cid=${channel.id}`;
    return { ok: true, channel: channel.id, permalink };
  },
};

export const CHAT_METHODS: Readonly<Record<string, MethodSpec>> = {
  'chat.getPermalink': getPermalink,
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
};
