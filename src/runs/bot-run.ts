import type { Dispatcher } from 'undici';
import type { Login } from '../auth/login.ts';
import type { Config, EnvironmentConfig } from '../config/config.ts';
import type { RunId } from '../domain/ids.ts';
import type { PhaseNumber, PhaseResult } from '../domain/phase.ts';
import { isTerminal, type RunRecord, type RunState } from '../domain/run.ts';
import type { Chat } from '../slack/chat.ts';
import { SlackRunReporter } from '../slack/reporter.ts';
import type { AuditLog } from '../store/audit.ts';
import type { ResultStore } from '../store/results.ts';
import type { RunStore } from '../store/run-store.ts';
import { concludeRun } from './conclude.ts';
import { runPhases } from './engine.ts';
import type { RunEvent } from './events.ts';
import { prepareSession } from './session.ts';

export interface BotLog {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

export interface BotRunDeps {
  readonly config: Config;
  readonly runs: RunStore;
  readonly results: ResultStore;
  readonly audit: AuditLog;
  readonly chat: Chat;
  readonly log: BotLog;
  /** How long the environment's lock lives without renewal; the worker renews it at a third of this. */
  readonly leaseMs: number;
  /** How often the worker looks for a cancel of the run it executes. */
  readonly cancelPollMs?: number;
  readonly login?: Login;
  readonly dispatcher?: Dispatcher;
}

const ACTIVE_PHASE_STATE: Readonly<Record<PhaseNumber, RunState>> = {
  0: 'phase0',
  1: 'phase1',
  2: 'phase2',
  3: 'phase3',
};
const RUNNING: readonly RunState[] = ['queued', 'phase0', 'phase1', 'phase2', 'awaiting_login', 'phase3'];

/**
 * Executes (or resumes) a run in a worker. Phases that already passed are not run again: a
 * worker that died mid-run leaves its run to the next worker, which starts again at the phase
 * that was in progress and says so in the thread.
 */
export async function executeRun(deps: BotRunDeps, runId: RunId): Promise<void> {
  const run = await deps.runs.get(runId);
  if (!run || isTerminal(run.state) || run.state === 'awaiting_approval') return;
  const env = deps.config.environments.get(run.env);
  if (!env) {
    await deps.runs.transition(runId, RUNNING, 'failed', () => ({
      reason: `environment ${run.env} is no longer configured`,
    }));
    return;
  }
  const reporter = await reporterFor(deps, run);
  const controller = new AbortController();
  const stopWatching = watchRun(deps, run, controller);
  try {
    await verify(deps, env, run, reporter, controller.signal);
  } finally {
    stopWatching();
  }
}

async function reporterFor(deps: BotRunDeps, run: RunRecord): Promise<SlackRunReporter> {
  const channel = run.slack?.channel ?? '';
  let rootTs = run.slack?.rootTs;
  if (!rootTs) {
    rootTs = await SlackRunReporter.postRoot(deps.chat, run, channel);
    const place = { channel, rootTs };
    await deps.runs.transition(run.id, [run.state], run.state, () => ({ slack: place }));
  }
  return new SlackRunReporter(deps.chat, channel, rootTs, (what, error) =>
    deps.log.warn('slack call failed', { what, runId: run.id, error: String(error) }),
  );
}

/** Renews the lease while the run works, and aborts it when someone cancels (any process). */
function watchRun(deps: BotRunDeps, run: RunRecord, controller: AbortController): () => void {
  const renew = setInterval(() => void deps.runs.renewLease(run.env, run.id, deps.leaseMs), deps.leaseMs / 3);
  const cancel = setInterval(async () => {
    const current = await deps.runs.get(run.id).catch(() => undefined);
    if (current?.state === 'cancelled') controller.abort(new Error('cancelled'));
  }, deps.cancelPollMs ?? 250);
  return () => {
    clearInterval(renew);
    clearInterval(cancel);
  };
}

async function verify(
  deps: BotRunDeps,
  env: EnvironmentConfig,
  run: RunRecord,
  reporter: SlackRunReporter,
  signal: AbortSignal,
): Promise<void> {
  const requester = run.requester.kind === 'slack' ? run.requester.userId : undefined;
  let phases: PhaseResult[] = run.phases.filter((p) => p.status === 'pass');
  let flagOn: boolean | undefined;
  const observer = async (event: RunEvent) => {
    if (event.kind === 'flag_changed') flagOn = event.enabled;
    if (event.kind === 'check_finished' && event.result.id === 'auth.device_code') {
      await reporter.loginEnded(env.name, event.result.status === 'pass' ? 'done' : 'did not complete');
      await moveTo(deps, run.id, 'phase2');
    }
    await reporter.event(event);
    if (event.kind === 'phase_finished') {
      phases = [...phases.filter((p) => p.phase !== event.result.phase), event.result];
      const saved = await deps.runs.transition(run.id, RUNNING, currentState(event.result.phase), () => ({
        phases,
      }));
      if (saved.ok) await reporter.refresh(saved.run);
    }
  };
  const session = await prepareSession({
    env,
    observer,
    signal,
    handoff: async (handoff) => {
      if (!requester) throw new Error('this run has no Slack requester to hand the login to');
      await moveTo(deps, run.id, 'awaiting_login');
      await reporter.handOff(env.name, requester, handoff);
    },
    ...(deps.login ? { login: deps.login } : {}),
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  const todo = ([0, 1, 2, 3] as const).filter((n) => !phases.some((p) => p.phase === n));
  if (run.state !== 'queued' && todo.length > 0) {
    await reporter.reply(`:repeat: Resumed by another worker: starting again at Phase ${todo[0]}.`);
  }
  const startedAt = new Date(run.createdAt);
  const beforeGate = todo.filter(
    (n) => n < 3 || !env.policy.requireApproval || run.decision?.decision === 'approved',
  );
  for (const n of beforeGate) {
    if (signal.aborted) break;
    await moveTo(deps, run.id, ACTIVE_PHASE_STATE[n]);
    const [result] = await runPhases(session.ctx, [n], session.phase2);
    if (result?.status !== 'pass') break;
  }
  const allButThree = [0, 1, 2].every((n) => phases.some((p) => p.phase === n && p.status === 'pass'));
  if (
    !signal.aborted &&
    allButThree &&
    !phases.some((p) => p.phase === 3) &&
    beforeGate.length < todo.length
  ) {
    await awaitApproval(deps, run, reporter);
    return;
  }
  const report = await concludeRun({ ctx: session.ctx, runId: run.id, startedAt, ran: phases });
  const finalFlag = report.switchOff?.ok ? false : flagOn;
  const done = await deps.runs.transition(run.id, [...RUNNING, 'cancelled'], report.state, () => ({
    report,
    phases,
    ...(report.reason ? { reason: report.reason } : {}),
  }));
  await deps.results.record({
    report,
    requester: run.requester,
    ...(finalFlag === undefined ? {} : { flagOn: finalFlag }),
  });
  await deps.audit.append(run.env, {
    at: new Date().toISOString(),
    actor: 'pc-verify',
    action: 'run.finished',
    runId: run.id,
    outcome: 'info',
    detail: `${report.verdict} (${report.state})`,
  });
  if (done.ok) await reporter.refresh(done.run);
  deps.log.info('run finished', {
    runId: run.id,
    env: run.env,
    verdict: report.verdict,
    state: report.state,
  });
}

/** The gate before Phase 3 (issue 7 adds the buttons and the rules); the lock is kept meanwhile. */
async function awaitApproval(deps: BotRunDeps, run: RunRecord, reporter: SlackRunReporter): Promise<void> {
  const env = deps.config.environments.get(run.env)!;
  const moved = await deps.runs.transition(run.id, RUNNING, 'awaiting_approval');
  await deps.runs.renewLease(run.env, run.id, env.policy.approvalTtl + deps.leaseMs);
  await reporter.reply(
    ':raising_hand: Phases 0–2 passed. Phase 3 turns the flag ON: waiting for an approver.',
  );
  if (moved.ok) await reporter.refresh(moved.run);
}

async function moveTo(deps: BotRunDeps, runId: RunId, state: RunState): Promise<void> {
  await deps.runs.transition(runId, RUNNING, state);
}

function currentState(phase: PhaseNumber): RunState {
  return ACTIVE_PHASE_STATE[phase];
}
