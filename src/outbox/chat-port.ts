/**
 * The chat as the outbox and the lifecycle see it: the calls made, and only those. The Slack
 * adapter implements it over the Web API client (src/slack/chat.ts).
 */
/** A Block Kit block; the shapes we send are built in src/slack/views. */
export type Block = Record<string, unknown>;

/**
 * What names a message the notifier posted (docs/architecture.md#the-outbox), carried as Slack message metadata: the
 * outbox entry and which of that entry's posts it is (a notice may post more than one message).
 */
export interface PostTag {
  /** The conversation (a run id, a kill switch): stream ids are only unique within one outbox. */
  readonly thread: string;
  readonly entry: string;
  readonly part: number;
}

/** The metadata event type of the notifier's messages. */
export const NOTICE_EVENT = 'pcv_notice';

/** The error code of a Slack Web API refusal (`ok: false`), when the error is one. */
export function slackCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/** The Slack calls the bot makes, and only those (the manifest's scopes follow from this list). */
export interface Chat {
  /**
   * chat.postMessage; returns the message ts. `broadcast`: a thread reply also shown in the
   * channel; `tag`: the message's metadata, so that it can be found again (`findTagged`).
   */
  post(
    channel: string,
    text: string,
    blocks?: readonly Block[],
    threadTs?: string,
    options?: { readonly broadcast?: boolean; readonly tag?: PostTag },
  ): Promise<string>;
  /**
   * The ts of a message posted with `tag` at `sinceMs` or later: conversations.replies of the
   * thread under `threadTs`, else conversations.history of the channel. Undefined when a bounded
   * look (a few pages) finds none.
   */
  findTagged(
    channel: string,
    tag: PostTag,
    where: { readonly threadTs?: string; readonly sinceMs: number },
  ): Promise<string | undefined>;
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
