import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';

/** A Block Kit block; the shapes we send are built in src/slack/views. */
export type Block = Record<string, unknown>;

/** The Slack calls the bot makes, and only those (the manifest's scopes follow from this list). */
export interface Chat {
  /** chat.postMessage; returns the message ts. `broadcast`: a thread reply also shown in the channel. */
  post(
    channel: string,
    text: string,
    blocks?: readonly Block[],
    threadTs?: string,
    options?: { readonly broadcast?: boolean },
  ): Promise<string>;
  /** chat.update */
  update(channel: string, ts: string, text: string, blocks?: readonly Block[]): Promise<void>;
  /** chat.postEphemeral; with `threadTs`, inside that thread. */
  ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void>;
  /** chat.getPermalink: the workspace's own link to a message (GovSlack and Enterprise hosts differ). */
  permalink(channel: string, ts: string): Promise<string>;
  /** conversations.open with one user; returns the DM channel id. */
  openDm(user: string): Promise<string>;
  /** views.publish (App Home) */
  publishHome(user: string, blocks: readonly Block[]): Promise<void>;
  /** usergroups.users.list */
  groupMembers(group: string): Promise<readonly string[]>;
}

/** Each Web API method the bot calls, with the bot scope Slack requires for it. */
export const CHAT_METHOD_SCOPES = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': null,
  'views.open': null,
  'conversations.open': 'im:write',
  'views.publish': null,
  'usergroups.users.list': 'usergroups:read',
} as const;

export function webClientChat(client: WebClient): Chat {
  return {
    async post(channel, text, blocks, threadTs, options) {
      const thread = threadTs ? { thread_ts: threadTs, reply_broadcast: options?.broadcast === true } : {};
      const res = await client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: [...blocks] as never } : {}),
        ...thread,
        unfurl_links: false,
      } as ChatPostMessageArguments);
      return String(res.ts);
    },
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
