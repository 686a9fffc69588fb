import { slackCode } from './chat-port.ts';

/**
 * Slack's answers (ok: false) that a later try can get past: Slack's own trouble, and a token or
 * an install an operator can fix — the thread waits for them. Any other refusal is about the
 * message itself: retried, it would hold up every message after it in the conversation for
 * good, so it is dropped (and logged) and the rest go on.
 */
const WORTH_RETRYING = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'not_allowed_token_type',
]);

/** A refusal about the message itself: retried, it would never go. */
export function isPermanent(error: unknown): boolean {
  const code = slackCode(error);
  if (code === undefined) return false;
  return !WORTH_RETRYING.has(code);
}

/** The WebClient's rate-limit error carries Retry-After in seconds. */
export function retryAfterMs(error: unknown): number | undefined {
  const after = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof after === 'number' ? after * 1000 : undefined;
}
