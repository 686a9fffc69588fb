import { readContent } from './chat-methods.ts';
import { boolArg, stringArg } from './http-body.ts';
import { opaqueToken } from './ids.ts';
import type { ApiReply } from './method-types.ts';
import type { FakeMessage, Workspace } from './workspace.ts';

/** Slack's limits on a response_url: five uses within thirty minutes. */
const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

export interface ResponseUrlTarget {
  readonly channel: string;
  readonly userId: string;
  /** The message a button sat on; `replace_original`/`delete_original` act on it. */
  readonly messageTs?: string;
}

export interface RecordedResponse {
  readonly url: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly reply: ApiReply;
  readonly at: number;
}

interface Issued {
  readonly target: ResponseUrlTarget;
  readonly issuedAt: number;
  uses: number;
}

/** The `https://hooks.slack.com/commands|actions/…` URLs, served on the fake's own origin. */
export class ResponseUrls {
  private issued = new Map<string, Issued>();
  private recorded: RecordedResponse[] = [];
  private counter = 0;

  constructor(
    private readonly ws: Workspace,
    private readonly nowMs: () => number,
  ) {}

  create(origin: string, kind: 'commands' | 'actions', target: ResponseUrlTarget): string {
    this.counter += 1;
    const path = `/${kind}/${this.ws.identity.teamId}/${this.counter}/${opaqueToken()}`;
    this.issued.set(path, { target, issuedAt: this.nowMs(), uses: 0 });
    return `${origin}${path}`;
  }

  isResponsePath(path: string): boolean {
    return path.startsWith('/commands/') || path.startsWith('/actions/');
  }

  handle(url: string, path: string, body: Record<string, unknown>): { status: number; reply: ApiReply } {
    const outcome = this.apply(path, body);
    this.recorded.push({ url, body, status: outcome.status, reply: outcome.reply, at: this.nowMs() });
    return outcome;
  }

  responses(): readonly RecordedResponse[] {
    return this.recorded;
  }

  reset(): void {
    this.issued = new Map();
    this.recorded = [];
  }

  private apply(path: string, body: Record<string, unknown>): { status: number; reply: ApiReply } {
    const issued = this.issued.get(path);
    if (issued === undefined) return { status: 404, reply: { ok: false, error: 'invalid_url' } };
    if (this.nowMs() - issued.issuedAt > LIFETIME_MS)
      return { status: 404, reply: { ok: false, error: 'expired_url' } };
    if (issued.uses >= MAX_USES) return { status: 404, reply: { ok: false, error: 'used_url' } };
    issued.uses += 1;
    const { target } = issued;
    const original =
      target.messageTs === undefined ? undefined : this.ws.findMessage(target.channel, target.messageTs);
    if (boolArg(body, 'delete_original')) {
      if (original !== undefined) this.ws.deleteMessage(original.channel, original.ts);
      return { status: 200, reply: { ok: true } };
    }
    const checked = readContent(body, boolArg(body, 'replace_original') ? original : undefined);
    if (checked.kind === 'err') return { status: 400, reply: checked.reply };
    if (boolArg(body, 'replace_original') && original !== undefined) {
      const editedTs = this.ws.clock.next();
      this.ws.replaceMessage({
        ...original,
        ...checked.content,
        versions: [...original.versions, checked.content],
        editedTs,
      });
    } else if (stringArg(body, 'response_type') === 'in_channel') {
      this.postInChannel(target, checked.content, stringArg(body, 'thread_ts'));
    } else {
      const messageTs = this.ws.clock.next();
      this.ws.addEphemeral({
        ...checked.content,
        channel: target.channel,
        user: target.userId,
        messageTs,
        via: 'response_url',
      });
    }
    return { status: 200, reply: { ok: true } };
  }

  private postInChannel(
    target: ResponseUrlTarget,
    content: FakeMessage['versions'][number],
    threadTs?: string,
  ): void {
    const { identity } = this.ws;
    this.ws.addMessage({
      ...content,
      channel: target.channel,
      ts: this.ws.clock.next(),
      threadTs,
      replyBroadcast: false,
      user: identity.botUserId,
      botId: identity.botId,
      versions: [content],
      editedTs: undefined,
    });
  }
}
