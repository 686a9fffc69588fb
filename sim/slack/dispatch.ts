import { CHAT_METHODS } from './chat-methods.ts';
import { DIRECTORY_METHODS } from './directory-methods.ts';
import { HISTORY_METHODS } from './history-methods.ts';
import type { ParsedArgs } from './http-body.ts';
import { type ApiReply, fail, type MethodSpec } from './method-types.ts';
import { grantedScopes, refusal, scopeHeaders, type TokenKind } from './token-auth.ts';
import { VIEW_METHODS } from './view-methods.ts';
import type { Workspace } from './workspace.ts';

const METHODS: Readonly<Record<string, MethodSpec>> = {
  ...CHAT_METHODS,
  ...DIRECTORY_METHODS,
  ...HISTORY_METHODS,
  ...VIEW_METHODS,
};

/** Which calls an armed fault applies to: every call to the method, or those whose arguments match. */
export type CallMatch = (args: Record<string, unknown>) => boolean;

interface Armed {
  remaining: number;
  readonly match: CallMatch | undefined;
}

export interface Outcome {
  readonly status: number;
  readonly response: ApiReply;
  readonly headers: Record<string, string>;
}

/** Faults a test arms for the next calls to a method: HTTP 429s, `ok:false` answers, lost answers. */
export class FaultSwitches {
  private rateLimits = new Map<string, { remaining: number; retryAfterSec: number }>();
  private failures = new Map<string, Armed & { readonly error: string }>();
  private lostAnswers = new Map<string, Armed>();
  private postLimit: { perSecond: number; burst: number } | undefined;
  private readonly postBuckets = new Map<string, { tokens: number; at: number }>();
  /** While true every Web API call answers HTTP 503, as during a Slack outage. */
  down = false;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Slack's own limit on chat.postMessage: about `perSecond` per channel after a burst; past it
   * HTTP 429 with the seconds to wait in Retry-After. Undefined lifts it.
   */
  limitPosts(limit: { perSecond: number; burst: number } | undefined): void {
    this.postLimit = limit;
    this.postBuckets.clear();
  }

  /** Retry-After seconds when a post to `channel` is over the channel's limit now. */
  takePost(channel: string): number | undefined {
    const limit = this.postLimit;
    if (limit === undefined) return undefined;
    const now = this.now();
    const b = this.postBuckets.get(channel) ?? { tokens: limit.burst, at: now };
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
    b.at = now;
    this.postBuckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
  }

  rateLimitNext(method: string, times: number, retryAfterSec: number): void {
    this.rateLimits.set(method, { remaining: times, retryAfterSec });
  }

  failNext(method: string, error: string, times: number, match?: CallMatch): void {
    this.failures.set(method, { remaining: times, error, match });
  }

  /** The next `times` (matching) calls to `method` are carried out, and their answers never arrive. */
  loseNextAnswer(method: string, times: number, match?: CallMatch): void {
    this.lostAnswers.set(method, { remaining: times, match });
  }

  /** True when this call's answer is to be lost (the call itself still takes effect). */
  takeLostAnswer(method: string, args: Record<string, unknown>): boolean {
    return take(this.lostAnswers.get(method), args);
  }

  /** Retry-After seconds when this call is to be rate limited. */
  takeRateLimit(method: string): number | undefined {
    const limit = this.rateLimits.get(method);
    if (limit === undefined || limit.remaining <= 0) return undefined;
    limit.remaining -= 1;
    return limit.retryAfterSec;
  }

  takeFailure(method: string, args: Record<string, unknown>): string | undefined {
    const failure = this.failures.get(method);
    return take(failure, args) ? failure?.error : undefined;
  }

  clear(): void {
    this.rateLimits = new Map();
    this.failures = new Map();
    this.lostAnswers = new Map();
    this.postLimit = undefined;
    this.postBuckets.clear();
    this.down = false;
  }
}

function take(armed: Armed | undefined, args: Record<string, unknown>): boolean {
  if (armed === undefined || armed.remaining <= 0) return false;
  if (armed.match !== undefined && !armed.match(args)) return false;
  armed.remaining -= 1;
  return true;
}

export interface CallToAnswer {
  readonly method: string;
  readonly tokenKind: TokenKind;
  readonly parsed: ParsedArgs;
  readonly args: Record<string, unknown>;
  readonly botScopes: ReadonlySet<string>;
  readonly switches: FaultSwitches;
  readonly ws: Workspace;
  readonly issueSocketUrl: (() => string) | undefined;
}

/** Slack's order: rate limit, then form, method, token and scope, then the method itself. */
export function answerCall(call: CallToAnswer): Outcome {
  if (call.switches.down) return { status: 503, response: fail('service_unavailable'), headers: {} };
  const channel = typeof call.args.channel === 'string' ? call.args.channel : '';
  const retryAfter =
    call.switches.takeRateLimit(call.method) ??
    (call.method === 'chat.postMessage' ? call.switches.takePost(channel) : undefined);
  if (retryAfter !== undefined) {
    return { status: 429, response: fail('ratelimited'), headers: { 'retry-after': String(retryAfter) } };
  }
  if (call.parsed.kind === 'invalid') return { status: 200, response: fail(call.parsed.error), headers: {} };
  const spec = METHODS[call.method];
  if (spec === undefined) {
    return { status: 200, response: fail('unknown_method', { req_method: call.method }), headers: {} };
  }
  const headers = scopeHeaders(spec, call.tokenKind, call.botScopes);
  const denied = refusal(spec, call.tokenKind, call.botScopes);
  if (denied !== undefined) return { status: 200, response: denied, headers };
  const injected = call.switches.takeFailure(call.method, call.args);
  if (injected !== undefined) return { status: 200, response: fail(injected), headers };
  const scopes = grantedScopes(call.tokenKind, call.botScopes);
  const response = spec.handle({ ws: call.ws, args: call.args, scopes, issueSocketUrl: call.issueSocketUrl });
  return { status: 200, response, headers };
}
