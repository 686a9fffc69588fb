import type { PhaseResult } from '../domain/phase.ts';
import type { RunRecord } from '../domain/run.ts';
import { buildReport, failureReason } from '../engine/build-report.ts';
import { prepareSession } from '../engine/prepare-session.ts';
import { runPhases } from '../engine/run-phases.ts';
import { coded, message } from '../i18n/index.ts';
import type { RunVoice } from '../outbox/run-announcer.ts';
import { memoryLedger } from '../phases/context.ts';
import { evidenceDigest, requestApproval } from './approval-request.ts';
import { endRun, finishRun } from './finish-run.ts';
import type { BotServices } from './lifecycle-deps.ts';
import { RunWatcher } from './phase-progress.ts';
import { FENCED, type RunControl } from './run-control.ts';
import {
  announceResume,
  handOff,
  type RunJob,
  type RunJobOutcome,
  type RunWorkSettings,
  takeUp,
  whileGuarded,
} from './run-pickup.ts';
import { announceAccount } from './signed-in.ts';

/**
 * `/pc-verify login <env>` in a worker (docs/architecture.md#the-day-2-watch): Phase 2 alone — the code to the
 * requester's DM, the new token cache installed in Hunter, the silent check — and nothing
 * else: no env-file write, no restart, the flag untouched. The run holds the environment's
 * lock like any run, so no verification or second login runs meanwhile. With
 * `policy.loginRequiresApproval` a second person approves first (the same gate as Phase 3's).
 */
export const advanceLogin: RunJob = async (s, w, runId, control, resumed) => {
  const run = await s.runs.get(runId);
  if (run?.purpose !== 'login' || run.report || run.state === 'awaiting_approval') return 'done';
  if (run.state === 'cancelled' || run.state === 'cancelling') {
    const reason = run.reason ?? coded(message('thread.note.loginCancelled'));
    await endRun(s, run, { state: 'cancelled', reason, tone: 'stopped' });
    return 'done';
  }
  const taken = await takeUp(s, w, run, control);
  if (taken === 'busy' || !taken) return taken ?? 'done';
  const { env, placed, reporter } = taken;
  if (env.policy.loginRequiresApproval && !placed.decision) {
    await requestApproval(s, w.lease, placed);
    return 'done';
  }
  if (placed.approval && placed.approval.digest !== (await evidenceDigest(placed, env))) {
    const reason =
      'The config or the env file changed after the sign-in was approved: the approval is void. Ask again with `/pc-verify login`.';
    await endRun(s, placed, { state: 'cancelled', reason, tone: 'warning' });
    return 'done';
  }
  // The voice follows the record the guard reads, so it learns the root message the notifier posted.
  return whileGuarded(
    s,
    w,
    placed,
    control,
    () => signInAgain(s, w, placed, reporter, control, resumed),
    (current) => reporter.follow(current),
  );
};

async function signInAgain(
  s: BotServices,
  w: RunWorkSettings,
  run: RunRecord,
  reporter: RunVoice,
  control: RunControl,
  resumed: boolean,
): Promise<RunJobOutcome> {
  const watcher = new RunWatcher(s, { ...run, phases: [] }, reporter, control);
  // An approved sign-in starts in `phase3` by design (the gate's state); anything else means a worker stopped.
  const approved = run.state === 'phase3' && run.decision !== undefined;
  if (resumed || (run.state !== 'queued' && !approved)) await announceResume(s, run, reporter, 2, undefined);
  const env = s.config.environments.get(run.env)!;
  const session = await prepareSession({
    env,
    // Phase 2 never writes the flag; a ledger that remembers nothing keeps the flag record as it is.
    flag: memoryLedger(),
    observer: watcher.observer,
    signal: control.signal,
    handoff: (handoff) => handOff(s, run, reporter, watcher, handoff),
    phase2: { onSignedIn: (account, allowed) => announceAccount(s, run, reporter, account, allowed) },
    ...(w.login ? { login: w.login } : {}),
    ...(w.dispatcher ? { dispatcher: w.dispatcher } : {}),
  });
  const ran = await runPhases(session.ctx, [2], session.phase2);
  const stopped = control.stopReason();
  if (stopped === 'hand_back') {
    await reporter.reply(
      control.stopDetail() === FENCED
        ? `${FENCED} (sign-in renewal)`
        : coded(message('thread.note.shuttingDownLogin')),
      'paused',
    );
    return 'handed_back';
  }
  if (stopped === 'lost') return 'done';
  await finishRun(
    s,
    run.id,
    loginReport(s, run, ran, stopped === 'cancelled' ? control.stopDetail() : undefined),
  );
  return 'done';
}

export function loginReport(s: BotServices, run: RunRecord, ran: readonly PhaseResult[], cancelled?: string) {
  const passed = ran.length === 1 && ran[0]?.status === 'pass';
  const reason = cancelled
    ? cancelled
    : passed
      ? 'Sign-in renewed: a new token cache is in Hunter and works silently. The flag was not touched.'
      : `The sign-in was not renewed: ${failureReason(ran) ?? 'Phase 2 did not finish'}. The flag was not touched.`;
  return {
    ...buildReport({
      env: run.env,
      runId: run.id,
      startedAt: new Date(run.createdAt),
      finishedAt: s.now(),
      ran,
      state: cancelled ? 'cancelled' : passed ? 'passed' : 'failed',
      reason,
    }),
    purpose: 'login' as const,
  };
}
