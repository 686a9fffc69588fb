import { slackId, TsClock } from './ids.ts';

/** The state behind the fake Web API: who exists, where the bot is, what it posted. */

export interface FakeUser {
  readonly id: string;
  readonly name: string;
  readonly realName: string;
  readonly tz: string;
  readonly isBot: boolean;
  readonly dmChannelId: string;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  readonly botIsMember: boolean;
  /** Undefined: every user is a member (the common case in tests). */
  readonly members: ReadonlySet<string> | undefined;
  /** Set for a DM: the person on the other side. */
  readonly imUser: string | undefined;
  /** A private channel: reading its history takes `groups:history` instead of `channels:history`. */
  readonly isPrivate: boolean;
}

export interface MessageContent {
  readonly text: string | undefined;
  readonly blocks: readonly unknown[] | undefined;
  readonly attachments: readonly unknown[] | undefined;
}

/** Message metadata as an app attached it (chat.postMessage's `metadata`). */
export interface FakeMessageMetadata {
  readonly event_type: string;
  readonly event_payload: Readonly<Record<string, unknown>>;
}

/** A message as it stands now: chat.update replaces its text/blocks in place. */
export interface FakeMessage extends MessageContent {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  readonly replyBroadcast: boolean;
  readonly user: string;
  readonly botId: string;
  /** Every version, oldest first, so tests can see what a person saw in between. */
  readonly versions: readonly MessageContent[];
  readonly editedTs: string | undefined;
  /** Returned by conversations.history / conversations.replies only with `include_all_metadata`. */
  readonly metadata?: FakeMessageMetadata;
}

export interface FakeEphemeral extends MessageContent {
  readonly channel: string;
  readonly user: string;
  readonly messageTs: string;
  readonly via: 'chat.postEphemeral' | 'response_url';
  /** The thread it was shown in (chat.postEphemeral's `thread_ts`); undefined: the channel. */
  readonly threadTs?: string;
}

export interface FakeHomeView {
  readonly userId: string;
  readonly view: Record<string, unknown>;
  readonly viewId: string;
}

/** A modal as views.open returned it: the view's own fields plus the ids Slack adds. */
export type FakeModal = Record<string, unknown> & {
  readonly id: string;
  readonly private_metadata: string;
  readonly callback_id: string;
};

export interface Identity {
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly botName: string;
}

export class Workspace {
  readonly clock: TsClock;
  private readonly users = new Map<string, FakeUser>();
  private readonly groups = new Map<string, readonly string[]>();
  private readonly channels = new Map<string, FakeChannel>();
  private messagesByChannel = new Map<string, FakeMessage[]>();
  private ephemeralList: FakeEphemeral[] = [];
  private homeViews = new Map<string, FakeHomeView>();
  private exchangedTriggers = new Set<string>();
  private modals = new Map<string, FakeModal>();

  constructor(
    readonly identity: Identity,
    readonly nowMs: () => number,
  ) {
    this.clock = new TsClock(nowMs);
    this.addUser({ id: identity.botUserId, name: identity.botName, isBot: true });
  }

  addUser(user: { id: string; name: string; realName?: string; tz?: string; isBot?: boolean }): FakeUser {
    const existing = this.users.get(user.id);
    const dmChannelId = existing?.dmChannelId ?? slackId('D');
    const added: FakeUser = {
      id: user.id,
      name: user.name,
      realName: user.realName ?? user.name,
      tz: user.tz ?? 'Europe/Istanbul',
      isBot: user.isBot ?? false,
      dmChannelId,
    };
    this.users.set(user.id, added);
    this.channels.set(dmChannelId, {
      id: dmChannelId,
      name: dmChannelId,
      botIsMember: true,
      members: new Set([user.id]),
      imUser: user.id,
      isPrivate: true,
    });
    return added;
  }

  user(id: string): FakeUser | undefined {
    return this.users.get(id);
  }

  addUserGroup(id: string, userIds: readonly string[]): void {
    this.groups.set(id, [...userIds]);
  }

  userGroup(id: string): readonly string[] | undefined {
    return this.groups.get(id);
  }

  addChannel(
    id: string,
    options: { name?: string; botIsMember?: boolean; members?: readonly string[]; isPrivate?: boolean } = {},
  ): void {
    this.channels.set(id, {
      id,
      name: options.name ?? id.toLowerCase(),
      botIsMember: options.botIsMember ?? true,
      members: options.members === undefined ? undefined : new Set(options.members),
      imUser: undefined,
      isPrivate: options.isPrivate ?? false,
    });
  }

  /** Looks a channel up by id, by `#name`, or by a user id (Slack posts those to the app DM). */
  findChannel(ref: string): FakeChannel | undefined {
    const byUser = this.users.get(ref);
    if (byUser !== undefined) return this.channels.get(byUser.dmChannelId);
    const name = ref.startsWith('#') ? ref.slice(1) : undefined;
    if (name === undefined) return this.channels.get(ref);
    return [...this.channels.values()].find(
      (channel) => channel.imUser === undefined && channel.name === name,
    );
  }

  dmOf(userId: string): string {
    const user = this.users.get(userId);
    if (user === undefined) throw new Error(`fake Slack: unknown user ${userId}; call addUser() first`);
    return user.dmChannelId;
  }

  addMessage(message: FakeMessage): void {
    const list = this.messagesByChannel.get(message.channel) ?? [];
    list.push(message);
    this.messagesByChannel.set(message.channel, list);
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((message) => message.ts === ts);
  }

  replaceMessage(updated: FakeMessage): void {
    const list = this.messagesByChannel.get(updated.channel) ?? [];
    const index = list.findIndex((message) => message.ts === updated.ts);
    if (index >= 0) list[index] = updated;
  }

  deleteMessage(channel: string, ts: string): void {
    const list = this.messagesByChannel.get(channel) ?? [];
    this.messagesByChannel.set(
      channel,
      list.filter((message) => message.ts !== ts),
    );
  }

  allMessages(channel: string): readonly FakeMessage[] {
    return this.messagesByChannel.get(channel) ?? [];
  }

  addEphemeral(ephemeral: FakeEphemeral): void {
    this.ephemeralList.push(ephemeral);
  }

  ephemerals(): readonly FakeEphemeral[] {
    return this.ephemeralList;
  }

  publishHome(view: FakeHomeView): void {
    this.homeViews.set(view.userId, view);
  }

  homeView(userId: string): FakeHomeView | undefined {
    return this.homeViews.get(userId);
  }

  /** False when this trigger_id opened a view already (Slack takes each once). */
  exchangeTrigger(trigger: string): boolean {
    if (this.exchangedTriggers.has(trigger)) return false;
    this.exchangedTriggers.add(trigger);
    return true;
  }

  openModal(modal: FakeModal): void {
    this.modals.set(modal.id, modal);
  }

  modal(id: string): FakeModal | undefined {
    return this.modals.get(id);
  }

  openModals(): readonly FakeModal[] {
    return [...this.modals.values()];
  }

  /** Forgets what was posted; people, groups and channels stay. */
  clearActivity(): void {
    this.modals = new Map();
    this.exchangedTriggers = new Set();
    this.messagesByChannel = new Map();
    this.ephemeralList = [];
    this.homeViews = new Map();
  }
}
