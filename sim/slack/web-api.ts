import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type RecordedCall } from './call-log.ts';
import { answerCall, type CallMatch, FaultSwitches } from './dispatch.ts';
import { type ParsedArgs, parseArgs, readBody, sendJson, tryJson } from './http-body.ts';
import { slackId } from './ids.ts';
import { DEFAULT_APP, DEFAULT_TEAM } from './payloads.ts';
import { type RecordedResponse, ResponseUrls, type ResponseUrlTarget } from './response-url.ts';
import { presentedToken, tokenKindOf } from './token-auth.ts';
import {
  type FakeEphemeral,
  type FakeMessage,
  type FakeModal,
  type FakeUser,
  type Identity,
  Workspace,
} from './workspace.ts';

export type { RecordedCall } from './call-log.ts';
export type { CallMatch } from './dispatch.ts';
export type { RecordedResponse, ResponseUrlTarget } from './response-url.ts';
export type { FakeEphemeral, FakeMessage, FakeModal, FakeUser, Identity } from './workspace.ts';

/** The bot scopes pc-verify's manifest grants; the default grant of the fake's bot token. */
export const DEFAULT_BOT_SCOPES: readonly string[] = [
  'channels:history',
  'chat:write',
  'groups:history',
  'im:write',
  'usergroups:read',
  'users:read',
  'commands',
];

/** Anything that can hand out a Socket Mode URL (the stand-in in ./socket-mode.ts). */
export interface SocketModeUrlSource {
  issueConnectionUrl(): string;
}

export interface FakeSlackApiOptions {
  /** Default `xoxb-fake-bot-token`. */
  readonly botToken?: string;
  /** App-level token accepted by apps.connections.open; default `xapp-1-fake-app-token`. */
  readonly appToken?: string;
  /** Scopes granted to the bot token; default DEFAULT_BOT_SCOPES. */
  readonly scopes?: readonly string[];
  readonly socketMode?: SocketModeUrlSource;
  /** Clock for message ts and response_url expiry; default Date.now. */
  readonly now?: () => number;
}

/** A fake Slack Web API on 127.0.0.1 that the real WebClient talks to. Start with startFakeSlackApi(). */
export class FakeSlackApi {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** What Bolt wants as `clientOptions.slackApiUrl`: `${url}/api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly identity: Identity;
  private readonly ws: Workspace;
  private readonly log = new CallLog();
  private readonly responseUrls: ResponseUrls;
  private scopes: Set<string>;
  private socketMode: SocketModeUrlSource | undefined;
  private readonly switches: FaultSwitches;
  private latencyMs = 0;

  constructor(
    private readonly server: Server,
    options: FakeSlackApiOptions,
  ) {
    const now = options.now ?? Date.now;
    this.switches = new FaultSwitches(now);
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.apiUrl = `${this.url}/api/`;
    this.botToken = options.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = options.appToken ?? 'xapp-1-fake-app-token';
    this.scopes = new Set(options.scopes ?? DEFAULT_BOT_SCOPES);
    this.socketMode = options.socketMode;
    this.identity = {
      teamId: DEFAULT_TEAM,
      teamName: 'Fake Team',
      teamDomain: 'fake-team',
      appId: DEFAULT_APP,
      botId: slackId('B'),
      botUserId: slackId('U'),
      botName: 'pc-verify',
    };
    this.ws = new Workspace(this.identity, now);
    this.responseUrls = new ResponseUrls(this.ws, now);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(error) });
      });
    });
  }

  // --- configuration -------------------------------------------------------------------------

  addUser(user: { id: string; name: string; realName?: string; tz?: string }): FakeUser {
    return this.ws.addUser(user);
  }

  addUserGroup(id: string, userIds: readonly string[]): void {
    this.ws.addUserGroup(id, userIds);
  }

  /**
   * A channel; the bot is a member unless `botIsMember: false`; `members` limits who is in it;
   * `isPrivate`: its history needs `groups:history`.
   */
  addChannel(
    id: string,
    options: { name?: string; botIsMember?: boolean; members?: readonly string[]; isPrivate?: boolean } = {},
  ): void {
    this.ws.addChannel(id, options);
  }

  setScopes(scopes: readonly string[]): void {
    this.scopes = new Set(scopes);
  }

  attachSocketMode(source: SocketModeUrlSource): void {
    this.socketMode = source;
  }

  /** The next `times` calls to `method` get HTTP 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(method: string, times: number, retryAfterSec: number): void {
    this.switches.rateLimitNext(method, times, retryAfterSec);
  }

  /** Slack's per-channel limit on chat.postMessage (429 + Retry-After past it); undefined lifts it. */
  limitPosts(limit: { perSecond: number; burst: number } | undefined): void {
    this.switches.limitPosts(limit);
  }

  /** Every Web API answer takes this long (a slow Slack). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** While down, every Web API call answers HTTP 503 (a Slack outage, as long as the test says). */
  setDown(down: boolean): void {
    this.switches.down = down;
  }

  /**
   * The next `times` calls to `method` answer `{ok:false, error}` (e.g. `token_revoked`); with
   * `match`, only calls whose arguments it accepts count (e.g. the post that is a broadcast).
   */
  failNext(method: string, error: string, times = 1, match?: CallMatch): void {
    this.switches.failNext(method, error, times, match);
  }

  /**
   * The next `times` (matching) calls to `method` take effect, then the connection closes with
   * no answer: a timeout or a dropped connection after Slack did the work (a posted message the
   * caller never heard of).
   */
  loseNextAnswer(method: string, times = 1, match?: CallMatch): void {
    this.switches.loseNextAnswer(method, times, match);
  }

  /** A response_url as Slack puts in a slash command (`commands`) or a click (`actions`). */
  responseUrl(kind: 'commands' | 'actions', target: ResponseUrlTarget): string {
    return this.responseUrls.create(this.url, kind, target);
  }

  // --- what happened --------------------------------------------------------------------------

  calls(method?: string): readonly RecordedCall[] {
    return this.log.calls(method);
  }

  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this.log.waitFor(method, predicate, timeoutMs);
  }

  /** Top-level messages in a channel as they stand now (thread replies only when broadcast). */
  messages(channel: string): readonly FakeMessage[] {
    const id = this.ws.findChannel(channel)?.id ?? channel;
    return structuredClone(
      this.ws.allMessages(id).filter((m) => m.threadTs === undefined || m.replyBroadcast),
    );
  }

  /** Replies under `threadTs`, oldest first (the parent itself is not included). */
  thread(channel: string, threadTs: string): readonly FakeMessage[] {
    const id = this.ws.findChannel(channel)?.id ?? channel;
    return structuredClone(this.ws.allMessages(id).filter((m) => m.threadTs === threadTs));
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    const id = this.ws.findChannel(channel)?.id ?? channel;
    const found = this.ws.findMessage(id, ts);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** Ephemeral messages (chat.postEphemeral and response_url), optionally only one person's. */
  ephemerals(filter: { channel?: string; user?: string } = {}): readonly FakeEphemeral[] {
    return structuredClone(
      this.ws
        .ephemerals()
        .filter((e) => (filter.channel ?? e.channel) === e.channel && (filter.user ?? e.user) === e.user),
    );
  }

  /** Modals opened with views.open, oldest first (with the id and state Slack adds). */
  modals(): readonly FakeModal[] {
    return structuredClone([...this.ws.openModals()]);
  }

  /** The Home tab view last published for a person. */
  homeView(userId: string): Record<string, unknown> | undefined {
    const view = this.ws.homeView(userId)?.view;
    return view === undefined ? undefined : structuredClone(view);
  }

  responses(): readonly RecordedResponse[] {
    return structuredClone(this.responseUrls.responses());
  }

  dmOf(userId: string): string {
    return this.ws.dmOf(userId);
  }

  /** Forgets calls, messages, views, responses and armed switches; keeps people and channels. */
  reset(): void {
    this.log.clear();
    this.ws.clearActivity();
    this.responseUrls.reset();
    this.switches.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- serving --------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    if (this.responseUrls.isResponsePath(url.pathname)) {
      // Bolt's respond() posts JSON; older clients post `payload=<JSON>`.
      const body = tryJson(raw) ?? tryJson(new URLSearchParams(raw).get('payload') ?? '') ?? {};
      const { status, reply } = this.responseUrls.handle(
        `${this.url}${url.pathname}`,
        url.pathname,
        body as Record<string, unknown>,
      );
      sendJson(res, status, reply);
    } else if (url.pathname.startsWith('/api/')) {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      this.serveMethod(
        url.pathname.slice('/api/'.length),
        req,
        res,
        parseArgs(req.headers['content-type'], raw, url.searchParams),
      );
    } else {
      sendJson(res, 404, { ok: false, error: 'not_found' });
    }
  }

  private serveMethod(method: string, req: IncomingMessage, res: ServerResponse, parsed: ParsedArgs): void {
    const args = parsed.kind === 'ok' ? parsed.args : {};
    const tokenKind = tokenKindOf(presentedToken(req.headers.authorization, args), {
      bot: this.botToken,
      app: this.appToken,
    });
    delete args.token;
    const lost = this.switches.takeLostAnswer(method, args);
    const { status, response, headers } = answerCall({
      method,
      tokenKind,
      parsed,
      args,
      botScopes: this.scopes,
      switches: this.switches,
      ws: this.ws,
      issueSocketUrl: this.socketUrlIssuer(),
    });
    if (lost) req.socket.destroy();
    else sendJson(res, status, response, headers);
    this.log.record({ method, args, at: Date.now(), status, response, tokenKind, ...(lost ? { lost } : {}) });
  }

  private socketUrlIssuer(): (() => string) | undefined {
    const source = this.socketMode;
    return source === undefined ? undefined : () => source.issueConnectionUrl();
  }
}

/** Starts the fake on 127.0.0.1, port 0 (a free one); `close()` it when done. */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const server = createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return new FakeSlackApi(server, options);
}
