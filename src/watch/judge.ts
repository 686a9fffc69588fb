import type { ProbeFinding, WatchCause } from '../domain/watch.ts';
import { detectProblems } from '../hunter/worker-log-problems.ts';
import type { LogEntry } from '../hunter/worker-logs.ts';
import { clip } from '../util/truncate.ts';

const SYNC_TASK = /sync_partner_center_referrals_task\[[\w-]+\] (received|succeeded|raised)/;
const SYNC_EVENTS = new Set(['partner_center_sync_task_started', 'partner_center_sync_skipped']);
const TOKEN_FAILED = /Token acquisition failed/i;
const NETWORK = /\bhttpx\.(ConnectError|ConnectTimeout|ReadTimeout|RemoteProtocolError|ReadError)\b/;

/** Azure AD codes Hunter's MSAL passes on, in the words a person acts on. */
const AADSTS_WORDS: Record<string, string> = {
  '50173': 'the sign-in was revoked (a password change or reset, or an admin revoked the sessions)',
  '50132': 'the sign-in was revoked (a password change or reset)',
  '70008': 'the refresh token expired (unused too long)',
  '700082': 'the refresh token expired (90 days unused)',
  '70043': 'the refresh token expired (a Conditional Access sign-in frequency policy)',
  '50076': 'Azure AD now requires multi-factor authentication for this sign-in',
  '50078': 'Azure AD now requires multi-factor authentication for this sign-in',
  '50079': 'Azure AD now requires multi-factor authentication for this sign-in',
  '9002313': 'the refresh token in the cache is not valid',
};

/** Whether these worker log lines show the periodic sync running (a task received or its events). */
export function syncSeen(entries: readonly LogEntry[]): boolean {
  return entries.some((e) => SYNC_EVENTS.has(e.event ?? '') || SYNC_TASK.test(e.raw));
}

/**
 * Judges the worker's lines since the last probe the way a person reading them would: a token
 * failure first (it has one fix), then Partner Center out of reach, then any other exception.
 * Undefined: nothing wrong in them.
 */
export function causeInLogs(entries: readonly LogEntry[]): WatchCause | undefined {
  const token = entries.find(
    (e) => TOKEN_FAILED.test(e.raw) || e.event === 'partner_center_token_acquisition_failed',
  );
  if (token) return { kind: 'token', detail: tokenWords(entries) };
  const problems = detectProblems(entries);
  const network =
    problems.find((p) => p.entry.traceback && NETWORK.test(lastLine(p.entry))) ??
    problems.find((p) => p.entry.event === 'partner_center_fetch_failed');
  if (network) {
    const { fields } = network.entry;
    const said = network.entry.traceback
      ? lastLine(network.entry)
      : `${String(fields.error_type ?? 'error')}: ${String(fields.error ?? '')}`;
    return { kind: 'unreachable', detail: clip(`Hunter could not reach Partner Center: ${said}`, 300) };
  }
  const raised = problems.find((p) => p.entry.traceback) ?? problems[0];
  if (raised) return { kind: 'exception', detail: clip(lastLine(raised.entry), 300) };
  return undefined;
}

/** The traceback's last line (it names the exception), else the line itself. */
function lastLine(entry: LogEntry): string {
  const line = entry.traceback?.at(-1) ?? entry.raw.split('\n').at(-1) ?? entry.raw;
  return line.trim();
}

function tokenWords(entries: readonly LogEntry[]): string {
  const text = entries.map((e) => e.raw).join('\n');
  const code = /AADSTS(\d+)/.exec(text)?.[1];
  const grant = /\b(invalid_grant|interaction_required)\b/.exec(text)?.[1];
  const said = code ? AADSTS_WORDS[code] : undefined;
  if (code) return `Token acquisition failed: ${grant ?? 'error'} (AADSTS${code}${said ? `: ${said}` : ''})`;
  if (grant) return `Token acquisition failed: ${grant} (the sign-in is revoked or expired)`;
  return 'Token acquisition failed (the token cache is missing or unusable)';
}

const SYNC_RECEIVED = /sync_partner_center_referrals_task\[([\w-]+)\] received/;
const SYNC_FINISHED = /sync_partner_center_referrals_task\[([\w-]+)\] (succeeded|raised)/;

/**
 * The lines of the newest finished sync, from its "received" on: an older sync that failed
 * before a new sign-in fixed it is history, and one still running has no outcome yet. Without a
 * finished task in view, every line.
 */
export function newestSync(entries: readonly LogEntry[]): readonly LogEntry[] {
  const finished = new Set(entries.map((e) => SYNC_FINISHED.exec(e.raw)?.[1]).filter(Boolean));
  const from = entries.findLastIndex((e) => finished.has(SYNC_RECEIVED.exec(e.raw)?.[1]));
  return from < 0 ? entries : entries.slice(from);
}

/** The judgement of a probe's logs when /healthz was right. */
export function judgeLogs(entries: readonly LogEntry[], at: string): ProbeFinding {
  const seen = syncSeen(entries);
  const cause = causeInLogs(newestSync(entries));
  if (cause) return { ok: false, cause, ...(seen ? { syncAt: at } : {}) };
  return {
    ok: true,
    detail: seen ? 'the periodic sync ran cleanly' : 'no sync since the last probe',
    ...(seen ? { syncAt: at } : {}),
  };
}
