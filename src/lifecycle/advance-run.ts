import type { EnvironmentConfig } from '../config/config.ts';
import { PHASE_NUMBERS, type PhaseResult } from '../domain/phase.ts';
import { isTerminal, type RunRecord } from '../domain/run.ts';
import { concludeRun } from '../engine/conclude-run.ts';
import { prepareSession } from '../engine/prepare-session.ts';
import { runPhases } from '../engine/run-phases.ts';
import { windowNote } from '../gates/change-window.ts';
import { needsOutageConfirmation } from '../gates/outage-guard.ts';
import { approverPrincipals } from '../gates/permissions.ts';
import { coded, message } from '../i18n/index.ts';
import type { RunVoice } from '../outbox/run-announcer.ts';
import type { PhaseContext } from '../phases/context.ts';
import { evidenceDigest, requestApproval } from './approval-request.ts';
import { auditCommand } from './audit-command.ts';
import { endRun, finishRun } from './finish-run.ts';
import { redisLedger } from './flag-ledger.ts';
import type { BotServices } from './lifecycle-deps.ts';
import { lostRun } from './lost-run.ts';
import { askToConfirmOutage } from './outage-confirmation.ts';
import { RunWatcher, requesterOf } from './phase-progress.ts';
import { FENCED, holdsJobLock, type RunControl } from './run-control.ts';
import {
  announceResume,
  endedPhase3,
  firstPhaseToRun,
  handOff,
  type RunJob,
  type RunJobOutcome,
  type RunWorkSettings,
  takeUp,
  whileGuarded,
} from './run-pickup.ts';
import { announceAccount } from './signed-in.ts';
import { promoteStagedCache, stagedDigestOf } from './staged-cache.ts';
import { passWindow, waitForWindow } from './window-wait.ts';

/**
 * A worker moves a run on from where its state says it stands: a fresh run from Phase 0, a run
 * whose worker died (or handed it back at shutdown) from the start of the phase in progress —
 * phases that passed are kept — and an approved run from Phase 3. It stops at the approval
 * gate (no job, no worker while a person decides) or at the end of the run.
 *
 * Waiting for a person:
 * - Approval holds nothing: the run is `awaiting_approval` in Redis and the job is done; the
 *   decision (issue 7) enqueues `step: 'phase3'`.
 * - The sign-in cannot work that way: MSAL polls Azure AD from inside `acquireTokenByDeviceCode`
 *   and cannot resume a device code in another process. So the job stays active while the
 *   person signs in (one worker slot, no CPU). If that process dies, BullMQ's stalled-job check
 *   hands the job to another worker after `lockDuration`; the run's lease outlives that, so the
 *   new worker resumes at Phase 2: it voids the old DM, sends a new code and says so in the
 *   thread. On SIGTERM the job is handed back at once (moved to `delayed`, due now).
 */
export const advanceRun: RunJob = async (s, w, runId, control, resumed) => {
  const run = await s.runs.get(runId);
  // Cancelled between the job being queued and taken (a cancel racing an approval): nothing ran,
  // so this worker says so now rather than leaving it to the reaper's settle time.
  if (run?.state === 'cancelled' && !run.report) {
    const reason = run.reason ?? coded(message('thread.note.runCancelled'));
    await endRun(s, run, { state: 'cancelled', reason, tone: 'stopped' });
    return 'done';
  }
  if (!run || isTerminal(run.state) || run.state === 'awaiting_approval') return 'done';
  // A sign-in renewal has its own worker path (login-run.ts): never the verification's phases.
  if (run.purpose === 'login') return 'done';
  const taken = await takeUp(s, w, run, control);
  if (taken === 'busy' || !taken) return taken ?? 'done';
  const { env, reporter } = taken;
  // docs/architecture.md#change-windows: Phase 3 starts only inside the window.
  const past = await passWindow(s, w.lease, env, taken.placed);
  if ('waits' in past) return 'done';
  const placed = past.go;
  // The voice follows the record the guard reads, so it learns the root message the notifier posted.
  return whileGuarded(
    s,
    w,
    placed,
    control,
    () => verify(s, w, env, placed, reporter, control, resumed),
    (current) => reporter.follow(current),
  );
};

/** What one worker's pass over a run works with, from its pickup to its conclusion. */
interface Pass {
  readonly s: BotServices;
  readonly w: RunWorkSettings;
  readonly env: EnvironmentConfig;
  readonly run: RunRecord;
  readonly reporter: RunVoice;
  readonly control: RunControl;
}

type Stop = { why: 'cancelled' | 'voided'; words?: string };
type Conclude = (ran: readonly PhaseResult[], stop?: Stop) => Promise<RunJobOutcome>;

async function verify(
  s: BotServices,
  w: RunWorkSettings,
  env: EnvironmentConfig,
  run: RunRecord,
  reporter: RunVoice,
  control: RunControl,
  resumed: boolean,
): Promise<RunJobOutcome> {
  const pass: Pass = { s, w, env, run, reporter, control };
  const from = firstPhaseToRun(run);
  const kept = run.phases.filter((p) => p.phase < from && p.status === 'pass');
  const watcher = new RunWatcher(s, { ...run, phases: kept }, reporter, control);
  const ended3 = endedPhase3(run);
  // An approved run starts in phase3 by design; any other non-queued state means a worker stopped.
  if (resumed || (run.state !== 'queued' && run.state !== 'phase3' && run.state !== 'awaiting_window'))
    await announceResume(s, run, reporter, from, ended3);
  const { flag, session } = await openSession(pass, watcher);
  const conclude = concluder(pass, watcher, flag, session.ctx);
  // Cancelled while its worker was away (killed, or its lock lost): reconcile the flag first.
  if (run.state === 'cancelling') {
    control.stop('cancelled', run.reason);
    return conclude(kept, { why: 'cancelled', ...(run.reason ? { words: run.reason } : {}) });
  }
  // Phase 3 had ended when its worker stopped (in its rollback, say): settle the flag from
  // that result — running it again would turn a failed prod flag ON once more.
  if (ended3) return conclude([...kept, ended3]);
  const held = await holdBeforePhases(pass, session.ctx, from, kept, conclude);
  if (held) return held;
  const gated = env.policy.requireApproval && from <= 2;
  // Without an approval gate a closed window stops the run after Phase 2 (it waits for it there).
  const closed = from <= 2 && windowNote(env.policy, s.now()) !== undefined;
  const todo = PHASE_NUMBERS.filter((n) => n >= from && ((!gated && !closed) || n <= 2));
  const ran = await runPhases(session.ctx, todo, session.phase2);
  if (control.stopReason() === 'hand_back') return handBack(pass, ran.at(-1)?.phase ?? from);
  if (control.stopReason() === 'lost') return lostRun(s, run, reporter, control, watcher, session.ctx, ran);
  const passedAll = ran.length === todo.length && ran.every((p) => p.status === 'pass');
  if (gated && passedAll && !control.signal.aborted) {
    await requestApproval(s, w.lease, watcher.record);
    return 'done';
  }
  if (closed && passedAll && !control.signal.aborted) return waitAfterPhase2(pass, watcher.record);
  const detail = control.stopDetail();
  return conclude(
    [...kept, ...ran],
    control.stopReason() === 'cancelled'
      ? { why: 'cancelled', ...(detail ? { words: detail } : {}) }
      : undefined,
  );
}

/** The run's flag ledger and the phases' session (Hunter, the sign-in) for this pass. */
async function openSession({ s, w, env, run, reporter, control }: Pass, watcher: RunWatcher) {
  const flag = redisLedger(s, {
    env: run.env,
    owner: { kind: 'run', runId: run.id },
    by: requesterOf(run),
    onFenced: () => control.stop('hand_back', FENCED),
    mayAct: () => holdsJobLock(control, w.jobLockMs),
  });
  const session = await prepareSession({
    env,
    flag,
    observer: watcher.observer,
    signal: control.signal,
    handoff: (handoff) => handOff(s, run, reporter, watcher, handoff),
    phase2: {
      // Before its approval a run may not change the identity Hunter acts as (staged-cache.ts).
      stage: env.policy.requireApproval,
      onStaging: () => s.stagedSignIns.mark(run.env, run.id),
      onSignedIn: (account, allowed) => announceAccount(s, run, reporter, account, allowed),
    },
    ...(w.login ? { login: w.login } : {}),
    ...(w.dispatcher ? { dispatcher: w.dispatcher } : {}),
  });
  return { flag, session };
}

/** How this pass ends a run: settle the flag, write the report, free the environment. */
function concluder(
  { s, env, run, reporter, control }: Pass,
  watcher: RunWatcher,
  flag: ReturnType<typeof redisLedger>,
  ctx: PhaseContext,
): Conclude {
  const startedAt = new Date(run.createdAt);
  return async (ran, stop) => {
    const report = await concludeRun({
      ctx,
      runId: run.id,
      startedAt,
      ran,
      ...(stop ? { stopped: stop.why } : {}),
      ...(stop?.words ? { stoppedWhy: stop.words } : {}),
      verdictWithFinish: true,
    });
    if (control.stopReason() === 'lost') return 'done';
    // Never finish (and free the lock) on a conclusion this worker was fenced out of.
    if (flag.fenced()) {
      await reporter.reply(FENCED, 'paused');
      return 'handed_back';
    }
    const flagOn = report.switchOff?.ok ? false : watcher.flagOn;
    // The switch-off's reply has no phase end of its own; the verdict comes with the finish.
    await watcher.closePhase();
    await finishRun(s, run.id, report, { verdict: true, ...(flagOn === undefined ? {} : { flagOn }) });
    if ((await s.flags.get(run.env).catch(() => undefined))?.unverified)
      await callForHelp(s, env, run, reporter);
    return 'done';
  };
}

/**
 * What stops a pass before its phases run: an outage nobody confirmed yet, evidence that
 * changed since the approval, or an approved sign-in that cannot become Hunter's cache.
 */
async function holdBeforePhases(
  { s, w, env, run, reporter }: Pass,
  ctx: PhaseContext,
  from: number,
  kept: readonly PhaseResult[],
  conclude: Conclude,
): Promise<RunJobOutcome | undefined> {
  if (from === 0 && run.outageConfirmedBy === undefined && (await needsOutageConfirmation(ctx, [1]))) {
    await askToConfirmOutage(s, w.lease, run);
    return 'done';
  }
  if (
    from === 3 &&
    run.approval &&
    run.approval.digest !== (await evidenceDigest({ ...run, phases: kept }, env))
  ) {
    const reason = coded(message('thread.note.evidenceChanged'));
    await reporter.reply(reason, 'warning');
    // A resumed Phase 3 may have turned the flag ON before the change: it goes OFF again.
    return conclude(kept, { why: 'voided', words: reason });
  }
  const staged = from === 3 ? stagedDigestOf({ phases: kept }) : undefined;
  if (!staged) return undefined;
  const promoted = await promoteStagedCache(ctx, staged);
  if (!promoted.ok) {
    const reason = coded(message('thread.note.phase3NotStarted'), { why: promoted.why });
    await reporter.reply(reason, 'warning');
    return conclude(kept, { why: 'voided', words: reason });
  }
  // Nothing waits beside the live cache any more; a failure here only costs the reaper an `rm -f`.
  await s.stagedSignIns.clear(run.env, run.id).catch(() => false);
  if (!promoted.already) await cachePromoted(s, run, reporter, staged);
  return undefined;
}

/** Phases 0–2 passed without an approval gate while the window was closed: wait for it (or go on, open now). */
async function waitAfterPhase2({ s, w, env }: Pass, run: RunRecord): Promise<RunJobOutcome> {
  const note = windowNote(env.policy, s.now()) ?? {
    reason: 'outside_window',
    zone: 'UTC',
    opensAt: s.now().toISOString(),
  };
  await waitForWindow(s, w.lease, run, note);
  return 'done';
}

async function handBack({ reporter, control }: Pass, phase: number): Promise<RunJobOutcome> {
  await reporter.reply(
    control.stopDetail() === FENCED
      ? `${FENCED} (Phase ${phase})`
      : coded(message('thread.note.shuttingDownPhase', { phase })),
    'paused',
  );
  return 'handed_back';
}

/** Nobody knows where the flag is: the people who asked for it and could approve it hear so by name. */
async function callForHelp(
  _s: BotServices,
  env: EnvironmentConfig,
  run: RunRecord,
  reporter: RunVoice,
): Promise<void> {
  const requester = run.requester.kind === 'slack' ? [run.requester.userId] : [];
  // Everyone who approved (policy.approvals may ask for several), else whoever could have.
  const approvedBy = run.approvals?.map((a) => a.by) ?? [];
  const deciders =
    approvedBy.length > 0 ? approvedBy : run.decision ? [run.decision.by] : approverPrincipals(env);
  await reporter.say({ kind: 'flag_unverified', env: run.env, people: [...requester, ...deciders] });
}

async function cachePromoted(s: BotServices, run: RunRecord, reporter: RunVoice, digest: string) {
  const detail = `the approved sign-in is now .token_cache (sha256 ${digest.slice(0, 12)}…)`;
  await auditCommand(s, run.env, 'pc-verify', 'login.cache_promoted', 'info', detail, run.id);
  await reporter.reply(
    coded(message('thread.note.cachePromoted', { digest: digest.slice(0, 12) })),
    'identity',
  );
}
