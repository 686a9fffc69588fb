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
  '65001': 'the consent to the app was removed (an admin must grant it again)',
  '65004': 'the consent to the app was declined',
};

/**
 * Partner Center refusing the access token: requests' `HTTPError` ("401 Client Error:
 * Unauthorized for url"), httpx's `HTTPStatusError` ("Client error '401 Unauthorized' for url").
 * Right after a revocation MSAL still holds an unexpired access token, so this comes before any
 * "Token acquisition failed".
 */
const REJECTED = [/\b(40[13]) Client Error\b/, /\bClient error '(40[13])\b/];

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
  const rejected = rejectedStatus(
    [...problems].sort((a, b) => Number(!a.entry.traceback) - Number(!b.entry.traceback)).map((p) => p.entry),
  );
  if (rejected) return { kind: 'token', detail: rejectedWords(rejected, entries) };
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

function rejectedStatus(entries: readonly LogEntry[]): { status: string; line: string } | undefined {
  for (const entry of entries) {
    for (const line of [lastLine(entry), entry.raw]) {
      for (const pattern of REJECTED) {
        const status = pattern.exec(line)?.[1];
        if (status) return { status, line: entry.traceback ? lastLine(entry) : line };
      }
    }
  }
  return undefined;
}

function rejectedWords(rejected: { status: string; line: string }, entries: readonly LogEntry[]): string {
  const said = aadstsWords(entries.map((e) => e.raw).join('\n'));
  const why =
    said ??
    (rejected.status === '401'
      ? 'the access token was refused: the sign-in was revoked or has expired'
      : 'the signed-in account may no longer use Partner Center (its role or the app’s consent was removed)');
  return clip(`Partner Center refused the sign-in (HTTP ${rejected.status}: ${why}): ${rejected.line}`, 300);
}

/** The AADSTS code in a text, in words (`AADSTS50173: the sign-in was revoked…`), if it has one. */
export function aadstsWords(text: string): string | undefined {
  const code = /AADSTS(\d+)/.exec(text)?.[1];
  if (!code) return undefined;
  const said = AADSTS_WORDS[code];
  return said ? `AADSTS${code}: ${said}` : `AADSTS${code}`;
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

/**
 * Whether a whole sync is in these lines: its "received" and its "succeeded" both. A sync that
 * started before the window (only its end is in view) says nothing about a sign-in renewed since.
 */
export function cleanSyncSeen(entries: readonly LogEntry[]): boolean {
  const received = new Set(entries.map((e) => SYNC_RECEIVED.exec(e.raw)?.[1]).filter(Boolean));
  return entries.some((e) => {
    const end = SYNC_FINISHED.exec(e.raw);
    return end?.[2] === 'succeeded' && received.has(end[1]);
  });
}

/**
 * The judgement of a probe's logs when /healthz was right. Only a whole sync that ran clean is
 * evidence of health; a quiet window is not (a failing environment stays failing through it).
 */
export function judgeLogs(entries: readonly LogEntry[], at: string): ProbeFinding {
  const seen = syncSeen(entries);
  const newest = newestSync(entries);
  const cause = causeInLogs(newest);
  if (cause) return { ok: false, cause, ...(seen ? { syncAt: at } : {}) };
  if (cleanSyncSeen(newest)) {
    return { ok: true, evidence: 'clean_sync', detail: 'the periodic sync ran cleanly', syncAt: at };
  }
  return {
    ok: true,
    evidence: 'none',
    detail: seen ? 'no whole sync since the last probe' : 'no sync since the last probe',
    ...(seen ? { syncAt: at } : {}),
  };
}
