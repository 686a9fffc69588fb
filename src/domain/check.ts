/** The runbook's check ids, in the order it runs them. */
export const CHECK_IDS = [
  'env.vars',
  'db.migrate',
  'db.table',
  'flag.off',
  'health.off',
  'api.off',
  'task.off',
  'logs.off',
  'auth.device_code',
  'auth.cache_installed',
  'auth.silent',
  'flag.on',
  'health.on',
  'api.on',
  'logs.on',
  'task.on',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/**
 * `skip` means the check did not run because one it depends on failed
 * (or the run was cancelled); `warn` passes the phase but asks for a look.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What the runbook expects, in words a person reads. */
  readonly expected: string;
  /** What was seen: redacted (no secrets) and cut to a readable length. */
  readonly observed: string;
  /** The runbook's troubleshooting hint; set on every failing check. */
  readonly hint?: string;
  readonly ms: number;
}

/** What a check function returns; the runner adds id, title and timing. */
export type CheckOutcome =
  | { readonly status: 'pass'; readonly observed: string }
  | { readonly status: 'warn'; readonly observed: string; readonly hint?: string }
  | { readonly status: 'fail'; readonly observed: string; readonly hint: string }
  | { readonly status: 'skip'; readonly observed: string };

export const pass = (observed: string): CheckOutcome => ({ status: 'pass', observed });
export const warn = (observed: string, hint?: string): CheckOutcome =>
  hint === undefined ? { status: 'warn', observed } : { status: 'warn', observed, hint };
export const fail = (observed: string, hint: string): CheckOutcome => ({ status: 'fail', observed, hint });
export const skip = (observed: string): CheckOutcome => ({ status: 'skip', observed });
