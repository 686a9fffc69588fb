import type { WebClient } from '@slack/web-api';

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
  /** chat.postEphemeral */
  ephemeral(channel: string, user: string, text: string): Promise<void>;
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
  'conversations.open': 'im:write',
  'views.publish': null,
  'usergroups.users.list': 'usergroups:read',
} as const;

export function webClientChat(client: WebClient): Chat {
  return {
    async post(channel, text, blocks, threadTs, options) {
      const res = await client.chat.postMessage({
        channel,
        text,
        ...(blocks ? { blocks: [...blocks] as never } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        // The Web API's types pair reply_broadcast with thread_ts in a union spreads cannot narrow.
        ...((threadTs && options?.broadcast ? { reply_broadcast: true } : {}) as object),
      });
      return String(res.ts);
    },
    async update(channel, ts, text, blocks) {
      await client.chat.update({ channel, ts, text, ...(blocks ? { blocks: [...blocks] as never } : {}) });
    },
    async ephemeral(channel, user, text) {
      await client.chat.postEphemeral({ channel, user, text });
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
