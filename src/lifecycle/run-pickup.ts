import type { Dispatcher } from 'undici';
import type { DeviceCodeHandoff, Login } from '../auth/login.ts';
import type { EnvironmentConfig } from '../config/config.ts';
import type { RunId } from '../domain/ids.ts';
import { PHASE_NUMBERS, type PhaseNumber, type PhaseResult } from '../domain/phase.ts';
import { isTerminal, type RunRecord, type RunState } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import { type RunVoice, voiceOf } from '../outbox/run-announcer.ts';
import { auditCommand } from './audit-command.ts';
import { endRun } from './finish-run.ts';
import type { BotServices, LeaseSettings } from './lifecycle-deps.ts';
import { type RunWatcher, requesterOf } from './phase-progress.ts';
import { seenBeforeChange } from './root-seen.ts';
import { guardRun, type RunControl, workHoldMs } from './run-control.ts';

export interface RunWorkSettings {
  readonly lease: LeaseSettings;
  /** How often a working run looks for a cancel. Default 250 ms. */
  readonly cancelPollMs: number;
  readonly login?: Login;
  /** Extra TLS trust for Azure AD and Hunter; verification stays on. */
  readonly dispatcher?: Dispatcher;
  /** BullMQ's job lock duration, for self-fencing (see guardRun). */
  readonly jobLockMs?: number;
}

/**
 * `done`: the job is finished (the run ended, waits for a person, or is not ours); `handed_back`:
 * requeue it; `busy`: another execution works on the run now — try again shortly.
 */
export type RunJobOutcome = 'done' | 'handed_back' | 'busy';

/** What the worker calls for a run it took from the queue: advanceRun, or advanceLogin for a sign-in renewal. */
export type RunJob = (
  s: BotServices,
  w: RunWorkSettings,
  runId: RunId,
  control: RunControl,
  resumed: boolean,
) => Promise<RunJobOutcome>;

/** Does a taken-up run's `work` under guardRun: its lease renewed, a cancel from any process heard. */
export async function whileGuarded(
  s: BotServices,
  w: RunWorkSettings,
  run: RunRecord,
  control: RunControl,
  work: () => Promise<RunJobOutcome>,
  seen: (current: RunRecord) => void,
): Promise<RunJobOutcome> {
  const stopGuard = guardRun(
    s,
    run,
    control,
    {
      leaseMs: w.lease.workingMs,
      pollMs: w.cancelPollMs,
      ...(w.jobLockMs ? { jobLockMs: w.jobLockMs } : {}),
    },
    seen,
  );
  try {
    return await work();
  } finally {
    stopGuard();
  }
}

/**
 * A worker takes a run up: its environment still configured (else the run ends failed), its
 * lease renewed (else it is not ours any more), its root message asked for.
 */
export async function takeUp(
  s: BotServices,
  w: RunWorkSettings,
  run: RunRecord,
  control: RunControl,
): Promise<{ env: EnvironmentConfig; placed: RunRecord; reporter: RunVoice } | 'busy' | undefined> {
  const env = s.config.environments.get(run.env);
  if (!env) {
    const reason = `Environment ${run.env} is no longer in the configuration.`;
    await endRun(s, run, { state: 'failed', reason, tone: 'failed' });
    return undefined;
  }
  // Another job of this run is being worked on (a stalled job re-queued while the reaper's
  // reconcile job starts): one execution at a time, or two would write the flag.
  const hold = workHoldMs({ leaseMs: w.lease.workingMs, ...(w.jobLockMs ? { jobLockMs: w.jobLockMs } : {}) });
  if (!(await s.runs.claimWork(run.id, control.token, hold))) return 'busy';
  // Not ours any more: finished, or the environment went to another run after a lost lease.
  if (!(await s.runs.resumeLease(run.env, run.id, w.lease.workingMs))) return undefined;
  // Read again under the hold: the execution before this one may have moved the run on (Phase 3
  // ended, handed back) after it was read for this job, and must not be run again from that.
  const current = await s.runs.get(run.id);
  if (!current || isTerminal(current.state) || current.state === 'awaiting_approval') return undefined;
  const placed = await withRootMessage(s, current);
  // A run of an environment that needs a second person changes nothing where nobody can see it.
  if (!(await seenBeforeChange(s, env, placed, control.signal))) return undefined;
  return { env, placed, reporter: voiceOf(s, placed) };
}

/** Phase 3's result, when it ended before the run was finished (a worker stopped in between). */
export function endedPhase3(run: RunRecord): PhaseResult | undefined {
  if (run.state !== 'phase3') return undefined;
  return run.phases.find((p) => p.phase === 3);
}

/** The phase to (re)start at: the one the run was in, or the first that has not passed. */
export function firstPhaseToRun(run: RunRecord): PhaseNumber {
  const byState: Partial<Record<RunState, PhaseNumber>> = {
    cancelling: 3,
    phase1: 1,
    phase2: 2,
    awaiting_login: 2,
    phase3: 3,
    awaiting_window: 3,
  };
  const stated = byState[run.state] ?? 0;
  const firstNotPassed = PHASE_NUMBERS.find(
    (n) => !run.phases.some((p) => p.phase === n && p.status === 'pass'),
  );
  return Math.min(stated, firstNotPassed ?? 3) as PhaseNumber;
}

/** The code to the requester's DM (and only there); the DM's place is kept so any process can update it. */
export async function handOff(
  s: BotServices,
  run: RunRecord,
  reporter: RunVoice,
  watcher: RunWatcher,
  handoff: DeviceCodeHandoff,
): Promise<void> {
  if (!reporter.thread) throw new Error('this run has no chat to hand the login to');
  // The state says "waiting for a person" before the person can see the code.
  await watcher.awaitingLogin();
  // The DM's place is known here before the code shows in it: a run stopped while the handoff
  // is still under way (the login check ends without waiting for it) voids that DM all the same.
  await s.notifier.handOffLogin(
    reporter.thread,
    { env: run.env, requester: requesterOf(run), handoff },
    (dm) => {
      watcher.dm = dm;
      return s.loginDms.set(run.id, dm);
    },
  );
  const detail = `device-code login handed to ${requesterOf(run)} in DM`;
  await auditCommand(s, run.env, 'pc-verify', 'login.handed_off', 'info', detail, run.id);
}

/** A run picked up again says so; a sign-in code from the previous worker is void (MSAL cannot resume it). */
export async function announceResume(
  s: BotServices,
  run: RunRecord,
  reporter: RunVoice,
  from: PhaseNumber,
  ended3: PhaseResult | undefined,
): Promise<void> {
  const oldDm = await s.loginDms.get(run.id);
  if (oldDm) {
    await reporter.say({
      kind: 'login_void',
      env: run.env,
      dm: oldDm,
      why: coded(message('thread.note.restartedDm')),
    });
    await s.loginDms.clear(run.id);
  }
  const newCodeTo = from === 2 && run.requester.kind === 'slack' ? run.requester.userId : undefined;
  await reporter.say({
    kind: 'run_resumed',
    phase: from,
    ...(ended3 ? { phase3Ended: ended3.status } : {}),
    ...(newCodeTo ? { newCodeTo } : {}),
  });
  s.log.info({ runId: run.id, env: run.env, phase: from }, 'run resumed');
}

/** The root message is asked for when the run is accepted; a run that somehow has none asks here. */
async function withRootMessage(s: BotServices, run: RunRecord): Promise<RunRecord> {
  if (run.slack?.channel && !run.slack.rootTs) await voiceOf(s, run).refresh(run);
  return run;
}
