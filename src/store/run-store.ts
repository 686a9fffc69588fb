import { type EnvName, type RunId, RunIdSchema } from '../domain/ids.ts';
import type { RunRecord, RunState } from '../domain/run.ts';
import { RUN_TRANSITIONS, type TargetOf, type TransitionRule } from '../domain/run-transitions.ts';
import { FlagWordReply, OneOrZero, parseValue, replyOf } from './codec.ts';
import type { Keys } from './keys.ts';
import { RELEASE_HOLD, RENEW_LEASE, TAKE_HOLD } from './lease-scripts.ts';
import { type ApproveResult, type ApproveStep, approveRun } from './run-approval.ts';
import { type ClaimResult, type ClaimStart, claimEnvironment, withdrawClaim } from './run-claim.ts';
import { type CancelResult, cancelRun, type FinishResult, finishRun, type RunEnding } from './run-ending.ts';
import {
  type AfterContext,
  type Change,
  CONFLICT,
  list,
  type RedisClient,
  type RunContext,
  readRun,
  type StepAppends,
  written,
} from './run-record.ts';
import { RESUME_LEASE, TRANSITION_RUN } from './run-scripts.ts';
import { evalStep, type Refusal, stepArgs, stepFrom } from './run-step.ts';

export type {
  ApproveResult,
  ApproveStep,
  CancelResult,
  ClaimResult,
  ClaimStart,
  FinishResult,
  RedisClient,
  RunEnding,
  StepAppends,
};

export type TransitionResult = { ok: true; run: RunRecord } | Refusal;

/**
 * A run's state in Redis, changed only by the transitions of the table in
 * `domain/run-transitions.ts`, one store operation each, named after it.
 */
export class RunStore {
  readonly #ctx: RunContext;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#ctx = { redis, keys, now, get: (id) => this.get(id) };
  }

  /** Takes the environment for a run, its start queued with it: see run-claim.ts. */
  claimEnvironment(...args: AfterContext<typeof claimEnvironment>): Promise<ClaimResult> {
    return claimEnvironment(this.#ctx, ...args);
  }

  /** Takes back a start its requester was told did not happen: see run-claim.ts. */
  withdrawClaim(...args: AfterContext<typeof withdrawClaim>): Promise<boolean> {
    return withdrawClaim(this.#ctx, ...args);
  }

  async get(id: RunId): Promise<RunRecord | undefined> {
    const key = this.keys.run(id);
    return readRun(await this.redis.hgetall(key), key);
  }

  /** In prod with the flag ON: the run stops before Phase 1 and asks its requester. */
  askOutageConfirmation(id: RunId, appends?: StepAppends): Promise<TransitionResult> {
    return this.#move(
      id,
      RUN_TRANSITIONS.askOutageConfirmation,
      'awaiting_confirmation',
      () => ({}),
      appends,
    );
  }

  /** The requester's answer: back to `queued` (go on) or `cancelled` (nothing changed). */
  answerOutageConfirmation(
    id: RunId,
    to: TargetOf<'answerOutageConfirmation'>,
    change: Change,
  ): Promise<TransitionResult> {
    return this.#move(id, RUN_TRANSITIONS.answerOutageConfirmation, to, change);
  }

  /** A worker's next step; refused once the run was cancelled (even while `cancelling`) or ended. */
  enterPhase(id: RunId, to: TargetOf<'enterPhase'>): Promise<TransitionResult> {
    return this.#move(id, RUN_TRANSITIONS.enterPhase, to, () => ({}));
  }

  /** The run waits for a second person, the request recorded and said in the same step. */
  awaitApproval(id: RunId, change: Change, appends?: StepAppends): Promise<TransitionResult> {
    return this.#move(id, RUN_TRANSITIONS.awaitApproval, 'awaiting_approval', change, appends);
  }

  /** The first valid decision on a run awaiting approval; any later one is refused. */
  decide(
    id: RunId,
    to: TargetOf<'decide'>,
    change: Change,
    appends?: StepAppends,
  ): Promise<TransitionResult> {
    return this.#move(id, RUN_TRANSITIONS.decide, to, change, appends);
  }

  /** Phases 0–2 passed while the change window is closed: the run waits for it, said in the same step. */
  awaitWindow(id: RunId, change: Change, appends?: StepAppends): Promise<TransitionResult> {
    return this.#move(id, RUN_TRANSITIONS.awaitWindow, 'awaiting_window', change, appends);
  }

  /** The window opened: the waiting run goes on to Phase 3 (one worker wins; the others are refused). */
  openWindow(id: RunId, appends?: StepAppends): Promise<TransitionResult> {
    return this.#move(id, RUN_TRANSITIONS.openWindow, 'phase3', () => ({}), appends);
  }

  /**
   * One Approve (see APPROVE_RUN): the approver joins the run's approval set once, and the
   * approval that completes `policy.approvals` decides for Phase 3 in the same step.
   */
  approve(id: RunId, step: ApproveStep): Promise<ApproveResult> {
    return approveRun(this.#ctx, id, step);
  }

  /**
   * Changes a run's record without moving its state (phase results, the Slack place). Refused
   * when the state is not one of `allowed` — e.g. a run cancelled meanwhile.
   */
  patch(
    id: RunId,
    allowed: readonly RunState[],
    change: Change,
    appends?: StepAppends,
  ): Promise<TransitionResult> {
    return stepFrom(this.#ctx, id, allowed, (current) => {
      const same = { from: [current.state], to: [current.state] };
      return this.#write(current, same, current.state, change, appends);
    });
  }

  /** Ends a run in one atomic step, its result recorded: see finishRun in run-ending.ts. */
  finish(...args: AfterContext<typeof finishRun>): Promise<FinishResult> {
    return finishRun(this.#ctx, ...args);
  }

  /** Cancels a run, or marks it `cancelling` while the flag is settled: see cancelRun in run-ending.ts. */
  cancel(...args: AfterContext<typeof cancelRun>): Promise<CancelResult> {
    return cancelRun(this.#ctx, ...args);
  }

  /** One transition of the table: read, apply `change`, write only along `rule` (see TRANSITION_RUN). */
  #move(
    id: RunId,
    rule: TransitionRule,
    to: RunState,
    change: Change,
    appends?: StepAppends,
  ): Promise<TransitionResult> {
    return stepFrom(this.#ctx, id, rule.from, (current) => this.#write(current, rule, to, change, appends));
  }

  async #write(
    current: RunRecord,
    rule: TransitionRule,
    to: RunState,
    change: Change,
    appends?: StepAppends,
  ): Promise<TransitionResult | typeof CONFLICT> {
    const next = written(current, to, change(current), this.now());
    const reply = await evalStep(this.#ctx, {
      lua: TRANSITION_RUN,
      name: 'transitionRun',
      reply: FlagWordReply,
      keys: [this.keys.run(current.id), this.keys.lock(current.env), this.keys.outboxThreads],
      args: [...stepArgs(current, rule.from, next), list(rule.to)],
      appends: appends?.(next) ?? [],
    });
    if (reply[0] === 1) return { ok: true, run: { ...next, version: Number(reply[1]) } };
    if (reply[1] === 'not_found') return { ok: false, reason: 'not_found' };
    if (reply[1] === 'wrong_state') return { ok: false, reason: 'wrong_state', state: reply[2] as RunState };
    return CONFLICT;
  }

  async renewLease(env: EnvName, id: RunId, leaseMs: number): Promise<boolean> {
    return this.#flag(RENEW_LEASE, 'renewLease', this.keys.lock(env), id, String(leaseMs));
  }

  /** Takes or renews one job execution's hold on a run (see TAKE_HOLD): one execution per run at a time, so a re-queued stalled job and the reaper's reconcile job never both act; false while another has it. */
  claimWork(id: RunId, token: string, ms: number): Promise<boolean> {
    return this.#flag(TAKE_HOLD, 'takeHold', this.keys.working(id), token, String(ms));
  }

  /** Renews this execution's hold; false once it lapsed or went to another execution. */
  renewWork(id: RunId, token: string, ms: number): Promise<boolean> {
    return this.#flag(RENEW_LEASE, 'renewLease', this.keys.working(id), token, String(ms));
  }

  /** Lets go of a run's execution hold, if this execution still has it. */
  async releaseWork(id: RunId, token: string): Promise<void> {
    await this.#flag(RELEASE_HOLD, 'releaseHold', this.keys.working(id), token);
  }

  releaseLock(env: EnvName, id: RunId): Promise<boolean> {
    return this.#flag(RELEASE_HOLD, 'releaseHold', this.keys.lock(env), id);
  }

  /** Takes the lease again for a run a worker picks up; false when it is finished or another run holds the lock. */
  resumeLease(env: EnvName, id: RunId, leaseMs: number): Promise<boolean> {
    return this.#flag(
      RESUME_LEASE,
      'resumeLease',
      [this.keys.lock(env), this.keys.run(id)],
      id,
      String(leaseMs),
    );
  }

  /** A script over `keys` that answers 1 or 0. */
  async #flag(script: string, name: string, keys: string | string[], ...args: string[]): Promise<boolean> {
    const all = typeof keys === 'string' ? [keys] : keys;
    return replyOf(OneOrZero, await this.redis.eval(script, all.length, ...all, ...args), name) === 1;
  }

  /** The newest run of the environment, finished or not. */
  async currentRunId(env: EnvName): Promise<RunId | undefined> {
    const key = this.keys.current(env);
    return parseValue(RunIdSchema.nullable(), await this.redis.get(key), key) ?? undefined;
  }

  async lockHolder(env: EnvName): Promise<RunId | undefined> {
    const key = this.keys.lock(env);
    return parseValue(RunIdSchema.nullable(), await this.redis.get(key), key) ?? undefined;
  }
}
