import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { z } from 'zod';
import { type Chat, NOTICE_EVENT, type PostTag } from '../outbox/chat-port.ts';

// The port is the outbox's; the Web API client below implements it.
export { type Block, type Chat, NOTICE_EVENT, type PostTag, slackCode } from '../outbox/chat-port.ts';

/**
 * Each Web API method the bot calls, with the bot scope Slack requires for it (the history
 * methods: one per kind of channel a run's thread can be in, public or private).
 */
export const CHAT_METHOD_SCOPES = {
  'auth.test': null,
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': null,
  'views.open': null,
  'conversations.open': 'im:write',
  'views.publish': null,
  'usergroups.users.list': 'usergroups:read',
} as const;

/**
 * A look for a tagged message reads at most this many pages of this many messages: what a
 * channel or a thread holds since a notice was first attempted, on any but the busiest channel.
 */
const LOOKUP_PAGES = 4;
const LOOKUP_PAGE_SIZE = 50;

/** What a look-up needs of conversations.history / conversations.replies, checked. */
const TaggedPage = z.object({
  // Each message is read on its own: another app's message of another shape is passed over.
  messages: z.array(z.unknown()).default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

const TaggedMessage = z.object({
  ts: z.string(),
  metadata: z.object({
    event_type: z.literal('pcv_notice'),
    event_payload: z.object({ thread: z.string(), entry: z.string(), part: z.number() }),
  }),
});

/** Milliseconds as a Slack ts bound (`oldest`): seconds and six digits. */
function slackTs(ms: number): string {
  const whole = Math.max(0, Math.floor(ms));
  return `${Math.floor(whole / 1000)}.${String((whole % 1000) * 1000).padStart(6, '0')}`;
}

/** A bounded look for a tagged message: the thread's replies, else the channel's history. */
async function findTagged(
  client: WebClient,
  channel: string,
  tag: PostTag,
  where: { readonly threadTs?: string; readonly sinceMs: number },
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < LOOKUP_PAGES; page++) {
    const args = {
      channel,
      oldest: slackTs(where.sinceMs),
      inclusive: true,
      limit: LOOKUP_PAGE_SIZE,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    };
    const res = where.threadTs
      ? await client.conversations.replies({ ...args, ts: where.threadTs })
      : await client.conversations.history(args);
    const read = TaggedPage.parse(res);
    for (const message of read.messages) {
      const m = TaggedMessage.safeParse(message);
      if (!m.success) continue;
      const p = m.data.metadata.event_payload;
      if (p.thread === tag.thread && p.entry === tag.entry && p.part === tag.part) return m.data.ts;
    }
    cursor = read.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

export function webClientChat(client: WebClient): Chat {
  return {
    async post(channel, text, blocks, threadTs, options) {
      const thread = threadTs ? { thread_ts: threadTs, reply_broadcast: options?.broadcast === true } : {};
      const tag = options?.tag;
      const res = await client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: [...blocks] as never } : {}),
        ...thread,
        ...(tag
          ? {
              metadata: {
                event_type: NOTICE_EVENT,
                event_payload: { thread: tag.thread, entry: tag.entry, part: tag.part },
              },
            }
          : {}),
        unfurl_links: false,
      } as ChatPostMessageArguments);
      return String(res.ts);
    },
    findTagged: (channel, tag, where) => findTagged(client, channel, tag, where),
    async update(channel, ts, text, blocks) {
      await client.chat.update({ channel, ts, text, ...(blocks ? { blocks: [...blocks] as never } : {}) });
    },
    async ephemeral(channel, user, text, threadTs) {
      await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    },
    async permalink(channel, ts) {
      const res = await client.chat.getPermalink({ channel, message_ts: ts });
      if (!res.permalink) throw new Error(`Slack gave no permalink for message ${ts} in ${channel}`);
      return res.permalink;
    },
    async openDm(user) {
      const res = await client.conversations.open({ users: user });
      return String(res.channel?.id);
    },
    async publishHome(user, blocks) {
      await client.views.publish({ user_id: user, view: { type: 'home', blocks: [...blocks] as never } });
    },
    async groupMembers(group) {
      const res = await client.usergroups.users.list({ usergroup: group });
      return res.users ?? [];
    },
  };
}
