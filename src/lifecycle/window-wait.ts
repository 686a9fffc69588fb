import type { EnvironmentConfig } from '../config/config.ts';
import type { RunRecord } from '../domain/run.ts';
import type { WindowNote } from '../domain/window.ts';
import { windowNote } from '../gates/change-window.ts';
import type { RunNotice } from '../outbox/run-notices.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import type { JobData } from '../store/job-data.ts';
import { auditCommand } from './audit-command.ts';
import { flagMayBeOnBy } from './flag-ledger.ts';
import type { BotServices, LeaseSettings } from './lifecycle-deps.ts';

/** How long a run that waits for a window nobody knows the opening of keeps its lease between reaper passes. */
const UNKNOWN_OPENING_MS = 24 * 3_600_000;

/**
 * Change windows and freezes (docs/architecture.md#change-windows): Phase 3 starts only while
 * the environment's window is open. A run that may not start it waits in `awaiting_window`,
 * with no job and no worker: its environment's lock is stretched to the opening (so the reaper
 * does not take it for lost, and no other run changes the evidence that was approved), and the
 * reaper queues it when the window opens — on the lifecycle's clock, after any crash.
 */
export type WindowPass = { readonly go: RunRecord } | { readonly waits: true };

/**
 * Before Phase 3 changes anything: a run about to start it (approved, or past Phase 2) waits
 * outside the window; a waiting run whose window opened goes on. A Phase 3 that had begun (its
 * result or its flag intent recorded) is never stopped by a window: the window limits a start.
 */
export async function passWindow(
  s: BotServices,
  lease: LeaseSettings,
  env: EnvironmentConfig,
  run: RunRecord,
): Promise<WindowPass> {
  if (run.state !== 'phase3' && run.state !== 'awaiting_window') return { go: run };
  const note = windowNote(env.policy, s.now());
  if (run.state === 'awaiting_window') {
    if (note) return keepWaiting(s, lease, run, note);
    const notices = stepNotices(s.notifier, (opened) => [
      { kind: 'change_window', env: opened.env },
      { kind: 'root', run: opened },
    ]);
    const moved = await s.runs.openWindow(run.id, notices.appends);
    if (!moved.ok) return { waits: true };
    await notices.told(moved.run);
    await auditCommand(s, run.env, 'pc-verify', 'window.opened', 'info', 'Phase 3 starts', run.id);
    return { go: moved.run };
  }
  if (!note || run.phases.some((p) => p.phase === 3) || (await flagMayBeOnBy(s, run))) return { go: run };
  return waitForWindow(s, lease, run, note);
}

/** Phases 0–2 passed (or an approval was given) while the window is closed: the run waits for it. */
export async function waitForWindow(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
  note: WindowNote,
): Promise<WindowPass> {
  const notices = stepNotices(s.notifier, (waiting): RunNotice[] => [
    { kind: 'change_window', env: waiting.env, window: note },
    { kind: 'root', run: waiting },
  ]);
  const opensAt = note.opensAt ? { windowOpensAt: note.opensAt } : {};
  const moved = await s.runs.awaitWindow(run.id, () => opensAt, notices.appends);
  if (!moved.ok) return { waits: true };
  await notices.told(moved.run);
  await s.runs.renewLease(run.env, run.id, waitMs(s, note) + lease.workingMs);
  const detail = note.freeze
    ? `freeze until ${note.freeze.until}: ${note.freeze.reason}; opens ${note.opensAt ?? 'not within a year'}`
    : `outside the change window; opens ${note.opensAt ?? 'not within a year'}`;
  await auditCommand(s, run.env, 'pc-verify', 'window.wait', 'info', detail, run.id);
  return { waits: true };
}

/** A job came before the window opened (clocks apart): the run keeps waiting, its opening updated. */
async function keepWaiting(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
  note: WindowNote,
): Promise<WindowPass> {
  await s.runs.patch(run.id, ['awaiting_window'], () =>
    note.opensAt ? { windowOpensAt: note.opensAt } : {},
  );
  await s.runs.renewLease(run.env, run.id, waitMs(s, note) + lease.workingMs);
  return { waits: true };
}

function waitMs(s: BotServices, note: WindowNote): number {
  if (!note.opensAt) return UNKNOWN_OPENING_MS;
  return Math.max(0, Date.parse(note.opensAt) - s.now().getTime());
}

/**
 * An approval given while the window is closed says so in the thread (Phase 3 does not turn
 * the flag ON now); its worker then moves the run to `awaiting_window`.
 */
export function windowAtDecision(
  s: BotServices,
  run: RunRecord,
  decision: 'approved' | 'rejected',
): { window?: WindowNote } {
  const env = s.config.environments.get(run.env);
  if (decision !== 'approved' || run.purpose === 'login' || !env) return {};
  const window = windowNote(env.policy, s.now());
  return window ? { window } : {};
}

/** What the reaper hands over to queue a run whose window opened. */
export interface WindowResume {
  readonly enqueue: (job: JobData) => Promise<void>;
  readonly requeue?: (job: JobData) => Promise<boolean>;
  readonly leaseMs: number;
}

/**
 * The reaper's part: a waiting run whose window is open now (the config's windows, on the
 * lifecycle's clock) is queued once per wait (the job id carries the run's version); one that
 * still waits keeps its environment, even if its lease lapsed meanwhile.
 */
export async function resumeWhenOpen(s: BotServices, run: RunRecord, resume: WindowResume): Promise<void> {
  const env = s.config.environments.get(run.env);
  const note = env ? windowNote(env.policy, s.now()) : undefined;
  if (note) {
    if ((await s.runs.lockHolder(run.env)) !== run.id)
      await s.runs.resumeLease(run.env, run.id, waitMs(s, note) + resume.leaseMs);
    return;
  }
  if (!(await s.runs.resumeLease(run.env, run.id, resume.leaseMs))) return;
  const job = { kind: 'run', runId: run.id, step: 'window', nonce: String(run.version) } as const;
  if (resume.requeue) {
    if (await resume.requeue(job))
      s.log.info({ runId: run.id, env: run.env }, 'change window open: run queued');
  } else await resume.enqueue(job);
}
