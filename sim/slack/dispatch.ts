import { CHAT_METHODS } from './chat-methods.ts';
import { DIRECTORY_METHODS } from './directory-methods.ts';
import type { ParsedArgs } from './http-body.ts';
import { type ApiReply, fail, type MethodSpec } from './method-types.ts';
import { grantedScopes, refusal, scopeHeaders, type TokenKind } from './token-auth.ts';
import { VIEW_METHODS } from './view-methods.ts';
import type { Workspace } from './workspace.ts';

const METHODS: Readonly<Record<string, MethodSpec>> = {
  ...CHAT_METHODS,
  ...DIRECTORY_METHODS,
  ...VIEW_METHODS,
};

export interface Outcome {
  readonly status: number;
  readonly response: ApiReply;
  readonly headers: Record<string, string>;
}

/** Faults a test arms for the next calls to a method: HTTP 429s, or `ok:false` answers. */
export class FaultSwitches {
  private rateLimits = new Map<string, { remaining: number; retryAfterSec: number }>();
  private failures = new Map<string, { remaining: number; error: string }>();

  rateLimitNext(method: string, times: number, retryAfterSec: number): void {
    this.rateLimits.set(method, { remaining: times, retryAfterSec });
  }

  failNext(method: string, error: string, times: number): void {
    this.failures.set(method, { remaining: times, error });
  }

  /** Retry-After seconds when this call is to be rate limited. */
  takeRateLimit(method: string): number | undefined {
    const limit = this.rateLimits.get(method);
    if (limit === undefined || limit.remaining <= 0) return undefined;
    limit.remaining -= 1;
    return limit.retryAfterSec;
  }

  takeFailure(method: string): string | undefined {
    const failure = this.failures.get(method);
    if (failure === undefined || failure.remaining <= 0) return undefined;
    failure.remaining -= 1;
    return failure.error;
  }

  clear(): void {
    this.rateLimits = new Map();
    this.failures = new Map();
  }
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
  const retryAfter = call.switches.takeRateLimit(call.method);
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
  const injected = call.switches.takeFailure(call.method);
  if (injected !== undefined) return { status: 200, response: fail(injected), headers };
  const scopes = grantedScopes(call.tokenKind, call.botScopes);
  const response = spec.handle({ ws: call.ws, args: call.args, scopes, issueSocketUrl: call.issueSocketUrl });
  return { status: 200, response, headers };
}
