import { type ApiReply, fail, type MethodSpec } from './method-types.ts';

/** Which credential a call carried; `invalid` is a token the fake never issued. */
export type TokenKind = 'bot' | 'app' | 'invalid' | 'none';

/** What an app-level token (`xapp-`) is granted for Socket Mode. */
const APP_TOKEN_SCOPES: ReadonlySet<string> = new Set(['connections:write']);

/** Slack reads the token from `Authorization: Bearer …` or, failing that, a `token` field. */
export function presentedToken(
  authorization: string | undefined,
  args: Record<string, unknown>,
): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (match?.[1] !== undefined) return match[1];
  return typeof args.token === 'string' ? args.token : undefined;
}

export function tokenKindOf(token: string | undefined, tokens: { bot: string; app: string }): TokenKind {
  if (token === undefined) return 'none';
  if (token === tokens.bot) return 'bot';
  return token === tokens.app ? 'app' : 'invalid';
}

export function grantedScopes(kind: TokenKind, botScopes: ReadonlySet<string>): ReadonlySet<string> {
  if (kind === 'app') return APP_TOKEN_SCOPES;
  return kind === 'bot' ? botScopes : new Set();
}

/** Slack's answer when the token may not call the method; undefined when it may. */
export function refusal(
  spec: MethodSpec,
  kind: TokenKind,
  botScopes: ReadonlySet<string>,
): ApiReply | undefined {
  if (kind === 'none') return fail('not_authed');
  if (kind === 'invalid') return fail('invalid_auth');
  if (kind !== spec.tokenType) return fail('not_allowed_token_type');
  const granted = grantedScopes(kind, botScopes);
  if (spec.scope !== undefined && !granted.has(spec.scope)) {
    return fail('missing_scope', { needed: spec.scope, provided: [...granted].join(',') });
  }
  return undefined;
}

/** Slack tells the client what the token has and what the method accepts. */
export function scopeHeaders(
  spec: MethodSpec,
  kind: TokenKind,
  botScopes: ReadonlySet<string>,
): Record<string, string> {
  if (kind !== 'bot' && kind !== 'app') return {};
  return {
    'x-oauth-scopes': [...grantedScopes(kind, botScopes)].join(','),
    'x-accepted-oauth-scopes': spec.scope ?? spec.acceptedScopes?.join(',') ?? '',
  };
}
