import type { FakeEphemeral, FakeMessage, FakeSlackApi } from '../slack/index.ts';
import { type BlockContext, renderBlocks } from './blocks.ts';
import type { ConsoleMemory, LocalEphemeral } from './local-ephemerals.ts';
import { escapeHtml, type MentionNames, mrkdwnToHtml } from './mrkdwn.ts';
import { CHANNEL, PEOPLE, personById } from './people.ts';

/**
 * What one person sees, rebuilt from the fake Web API's state and recorded calls on every
 * change: the channel, the open thread, their DM with the app, their App Home, their modal.
 */

export type Pane = 'channel' | 'dm' | 'home';

export interface ViewRequest {
  readonly user: string;
  readonly pane: Pane;
  /** The root whose thread is open; '' opens the newest root that has replies. */
  readonly thread: string;
}

export interface RenderedView {
  readonly main: string;
  readonly thread: string;
  readonly threadTs: string;
  readonly modal: string;
  readonly unread: { readonly dm: number };
}

interface Item {
  readonly ts: string;
  readonly html: string;
}

export class ConsoleView {
  private readonly names: MentionNames;

  constructor(
    private readonly api: FakeSlackApi,
    private readonly memory: ConsoleMemory,
    private readonly linkFor: (url: string) => string,
  ) {
    this.names = {
      user: (id) => (id === api.identity.botUserId ? api.identity.botName : personById(id)?.name),
      channel: (id) => (id === CHANNEL.id ? CHANNEL.name : undefined),
    };
  }

  render(req: ViewRequest): RenderedView {
    const roots = this.api.messages(CHANNEL.id);
    const threadTs =
      req.thread !== '' ? req.thread : ([...roots].reverse().find((m) => this.replyCount(m) > 0)?.ts ?? '');
    const ephemerals = this.ephemeralsOf(req.user);
    return {
      main:
        req.pane === 'channel'
          ? this.channel(roots, ephemerals, threadTs)
          : req.pane === 'dm'
            ? this.dm(req.user)
            : this.home(req.user),
      thread: threadTs === '' ? '' : this.thread(threadTs, ephemerals),
      threadTs,
      modal: this.modal(req.user),
      unread: { dm: this.api.messages(this.api.dmOf(req.user)).length },
    };
  }

  private replyCount(message: FakeMessage): number {
    return this.api.thread(CHANNEL.id, message.ts).length;
  }

  private channel(
    roots: readonly FakeMessage[],
    ephemerals: readonly LocalEphemeral[],
    openTs: string,
  ): string {
    const items: Item[] = roots.map((m) => ({ ts: m.ts, html: this.message(m, openTs) }));
    for (const e of ephemerals)
      if (e.channel === CHANNEL.id && e.threadTs === undefined)
        items.push({ ts: e.ts, html: this.ephemeral(e) });
    return timeline(
      items,
      `This is the very beginning of <b>#${CHANNEL.name}</b>. Type <code>/pc-verify staging</code> below.`,
    );
  }

  private thread(rootTs: string, ephemerals: readonly LocalEphemeral[]): string {
    const root = this.api.message(CHANNEL.id, rootTs);
    if (root === undefined) return '';
    const replies = this.api.thread(CHANNEL.id, rootTs);
    const items: Item[] = replies.map((m) => ({ ts: m.ts, html: this.message(m, '') }));
    for (const e of ephemerals) if (e.threadTs === rootTs) items.push({ ts: e.ts, html: this.ephemeral(e) });
    const count = `<div class="thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>`;
    return `${this.message(root, '', true)}${count}${timeline(items, '')}`;
  }

  private dm(user: string): string {
    const items = this.api
      .messages(this.api.dmOf(user))
      .map((m) => ({ ts: m.ts, html: this.message(m, '') }));
    return timeline(items, 'Messages from pc-verify to you alone: the sign-in code of your runs lands here.');
  }

  private home(user: string): string {
    const view = this.api.homeView(user);
    if (view === undefined)
      return '<div class="empty">The bot has not published a Home tab for you yet.</div>';
    const blocks = Array.isArray(view.blocks) ? view.blocks : [];
    return `<div class="home-view">${renderBlocks(blocks, this.context('', ''))}</div>`;
  }

  /** views.open calls whose trigger came from this person (newest), drawn as a modal. */
  private modal(user: string): string {
    const opened = this.api
      .calls('views.open')
      .filter((c) => c.response.ok === true)
      .at(-1);
    const view = opened?.args.view;
    if (
      opened === undefined ||
      typeof view !== 'object' ||
      view === null ||
      !this.triggerOf(String(opened.args.trigger_id ?? ''), user)
    )
      return '';
    const v = view as {
      title?: { text?: string };
      blocks?: unknown[];
      submit?: { text?: string };
      close?: { text?: string };
    };
    return `<div class="dialog-backdrop" data-modal-key="${opened.at}"><div class="dialog modal" role="dialog" aria-modal="true" aria-labelledby="modal-title">
<h2 id="modal-title">${escapeHtml(v.title?.text ?? '')}</h2><div class="dialog-body">${renderBlocks(v.blocks ?? [], this.context('', ''))}</div>
<div class="dialog-buttons"><button type="button" class="bk-btn" data-modal="close">${escapeHtml(v.close?.text ?? 'Close')}</button>${submitButton(opened.response, v.submit?.text)}</div></div></div>`;
  }

  private triggerOf(trigger: string, user: string): boolean {
    return this.memory.userOfTrigger(trigger) === user;
  }

  private ephemeralsOf(user: string): LocalEphemeral[] {
    const fromApi = this.api.ephemerals({ user });
    const viaResponse = this.api.responses().filter(producedEphemeral);
    const all = this.api.ephemerals().filter((e) => e.via === 'response_url');
    const out: LocalEphemeral[] = fromApi.map((e) => ({
      user: e.user,
      channel: e.channel,
      threadTs: this.threadOfEphemeral(e, all, viaResponse),
      ts: e.messageTs,
      text: e.text,
      blocks: e.blocks,
    }));
    return [...out, ...this.memory.ackEphemerals(user)];
  }

  /** chat.postEphemeral names its thread_ts in the call; a response_url answer goes where the click was. */
  private threadOfEphemeral(
    e: FakeEphemeral,
    viaUrl: readonly FakeEphemeral[],
    responses: readonly { url: string }[],
  ): string | undefined {
    if (e.via === 'chat.postEphemeral') {
      const call = this.api.calls('chat.postEphemeral').find((c) => c.response.message_ts === e.messageTs);
      const ts = call?.args.thread_ts;
      return typeof ts === 'string' && ts !== '' ? ts : undefined;
    }
    const index = viaUrl.findIndex((x) => x.messageTs === e.messageTs);
    const url = responses[index]?.url;
    return url === undefined ? undefined : this.memory.threadOfResponseUrl(url);
  }

  private context(channel: string, ts: string): BlockContext {
    return { names: this.names, channel, ts, linkFor: this.linkFor };
  }

  private body(
    content: { text: string | undefined; blocks: readonly unknown[] | undefined },
    channel: string,
    ts: string,
  ): string {
    return content.blocks !== undefined && content.blocks.length > 0
      ? renderBlocks(content.blocks, this.context(channel, ts))
      : `<div class="bk-text">${mrkdwnToHtml(content.text ?? '', this.names)}</div>`;
  }

  private message(m: FakeMessage, openTs: string, asRoot = false): string {
    const replies = m.threadTs === undefined ? this.replyCount(m) : 0;
    const repliesLink =
      replies > 0 && !asRoot
        ? `<button type="button" class="replies${openTs === m.ts ? ' open' : ''}" data-thread="${escapeHtml(m.ts)}">${replies} ${replies === 1 ? 'reply' : 'replies'}</button>`
        : '';
    const edited = m.editedTs === undefined ? '' : '<span class="edited">(edited)</span>';
    const broadcast =
      m.replyBroadcast && !asRoot && openTs !== '' ? '<div class="broadcast">replied to a thread</div>' : '';
    return `<article class="msg" data-ts="${escapeHtml(m.ts)}" aria-label="message from pc-verify">${avatar('bot')}<div class="msg-content">
${broadcast}<div class="msg-head"><span class="author">pc-verify</span><span class="app-badge">APP</span><time>${clock(m.ts)}</time>${edited}</div>
<div class="msg-body">${this.body(m, m.channel, m.ts)}</div>${repliesLink}</div></article>`;
  }

  private ephemeral(e: LocalEphemeral): string {
    return `<article class="msg ephemeral" data-ts="${escapeHtml(e.ts)}" aria-label="message only you can see">${avatar('bot')}<div class="msg-content">
<div class="msg-head"><span class="author">pc-verify</span><span class="app-badge">APP</span><time>${clock(e.ts)}</time></div>
<div class="msg-body">${this.body(e, e.channel, e.ts)}</div><div class="only-you">Only visible to you</div></div></article>`;
  }
}

function producedEphemeral(r: { status: number; body: Record<string, unknown> }): boolean {
  const flag = (v: unknown) => v === true || v === 'true';
  return (
    r.status === 200 &&
    !flag(r.body.replace_original) &&
    !flag(r.body.delete_original) &&
    r.body.response_type !== 'in_channel'
  );
}

function timeline(items: Item[], emptyHtml: string): string {
  if (items.length === 0) return emptyHtml === '' ? '' : `<div class="empty">${emptyHtml}</div>`;
  return [...items]
    .sort((a, b) => Number(a.ts) - Number(b.ts))
    .map((i) => i.html)
    .join('');
}

function avatar(kind: 'bot'): string {
  return `<div class="avatar avatar-${kind}" aria-hidden="true">✓</div>`;
}

function clock(ts: string): string {
  return new Date(Number(ts) * 1000).toISOString().slice(11, 16);
}

export const PERSON_OPTIONS = PEOPLE;

/** Submit sends what was typed to the bot as a view_submission (the console signs it). */
function submitButton(response: Record<string, unknown>, label: string | undefined): string {
  const id = (response.view as { id?: unknown } | undefined)?.id;
  if (label === undefined || typeof id !== 'string') return '';
  return `<button type="button" class="bk-btn bk-primary" data-modal="submit" data-view-id="${escapeHtml(id)}">${escapeHtml(label)}</button>`;
}
