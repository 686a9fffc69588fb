import type { EnvironmentConfig } from '../config/config.ts';
import { selectEnvironment } from '../config/select.ts';
import type { RunId } from '../domain/ids.ts';
import type { ChangeTicket, RunRecord } from '../domain/run.ts';
import { mayOperate } from '../gates/permissions.ts';
import { coded, message, renderCoded, type Translate } from '../i18n/index.ts';
import { auditCommand, auditRefusal } from '../lifecycle/audit-command.ts';
import { endedReport, finishRun } from '../lifecycle/finish-run.ts';
import { LOST_WORKER } from '../lifecycle/reaper.ts';
import type { RunStep } from '../lifecycle/run-queue.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import { canonical } from '../store/audit.ts';
import type { ClaimResult } from '../store/run-store.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { refusal, seeHelp, wordsFor } from './language.ts';
import { checkTicket } from './ticket.ts';

/** What a claim of the environment starts: a run of the runbook, or a sign-in renewal (login). */
export interface ClaimKind {
  /** The audit action: `run.start` or `login.start`. */
  readonly action: string;
  readonly purpose?: 'login';
  readonly step: RunStep;
  /** The audit detail of an accepted claim. */
  readonly queued: (run: RunRecord) => string;
  /** What the person who asked sees. */
  readonly accepted: (run: RunRecord, env: EnvironmentConfig, who: Invocation, t: Translate) => string;
}

const RUN: ClaimKind = {
  action: 'run.start',
  step: 'start',
  queued: (run) => `run ${run.id} queued${run.ticket ? `; change ticket ${run.ticket.id}` : ''}`,
  accepted: (run, env, who, t) =>
    t('commands.start.accepted', { id: run.id, env: env.name, channel: `<#${who.channelId}>` }),
};

/**
 * `/pc-verify <env>`: validate, claim the environment (one run at a time), answer; then, after
 * the ack, post the root message and enqueue. The phases run in a worker.
 */
export function startRun(
  deps: CommandDeps,
  who: Invocation,
  envName: string,
  ticket?: string,
): Promise<Reply> {
  return claimAndQueue(deps, who, envName, RUN, ticket);
}

/** Claims the environment for `kind`, audited; the root message and the job follow the ack. */
export async function claimAndQueue(
  deps: CommandDeps,
  who: Invocation,
  envName: string,
  kind: ClaimKind,
  givenTicket?: string,
): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: seeHelp(wordsFor(deps), found.message), outcome: 'refused' };
  const env = found.env;
  const permission = await mayOperate(deps.groups, env, who, 'start');
  if (!permission.ok) {
    const refused = refusal(deps, permission.why);
    await auditRefusal(deps, env.name, who.userId, kind.action, refused.audited);
    return { text: refused.text, outcome: 'refused' };
  }
  const ticket = await changeTicket(deps, env, who, kind, givenTicket);
  if (!ticket.ok) return ticket.reply;
  const run = {
    ...newRun(deps, env, who, kind.purpose),
    ...(ticket.ticket ? { ticket: ticket.ticket } : {}),
  };
  // The claim, its audit entry and the root message are one store step; the job follows the
  // ack and may be added again (the reaper does, for a claim whose process died before it).
  const root = stepNotices(deps.notifier, (claimed) => [{ kind: 'root', run: claimed }]);
  const audited = canonical({
    at: deps.now().toISOString(),
    actor: who.userId,
    action: kind.action,
    outcome: 'accepted',
    detail: kind.queued(run),
    runId: run.id,
  });
  let claim: ClaimResult;
  try {
    claim = await deps.runs.claimEnvironment(run, deps.lease.queuedMs, {
      auditPayload: audited,
      ...(root.appends ? { appends: root.appends } : {}),
    });
  } catch (error) {
    // The person is told nothing started, so nothing may: a claim that timed out can still land
    // in Redis. It is taken back once Redis answers.
    withdrawWhenBack(deps, run, who);
    throw error;
  }
  if (claim.ok) await flushAudit(deps, run);
  if (!claim.ok) {
    if ('unverified' in claim) return refuseUnverified(deps, env, who);
    return alreadyGoing(deps, env, who, claim.holder);
  }
  return {
    text: kind.accepted(run, env, who, wordsFor(deps)),
    outcome: 'accepted',
    after: async () => {
      if (claim.staleRunFailed) await endStaleRun(deps, claim.staleRunFailed);
      await root.told(run);
      await enqueueClaimed(deps, run, who, kind.step);
    },
  };
}

/**
 * The run's change ticket (policy.ticket, checked in ticket.ts). A required one that is missing
 * is asked for in a dialog when the chat can open one; otherwise, and for a malformed one, the
 * start is refused (audited) with the form to type. A sign-in renewal changes no flag and
 * carries none.
 */
async function changeTicket(
  deps: CommandDeps,
  env: EnvironmentConfig,
  who: Invocation,
  kind: ClaimKind,
  given: string | undefined,
): Promise<{ ok: true; ticket?: ChangeTicket } | { ok: false; reply: Reply }> {
  if (kind.purpose) return { ok: true };
  const t = wordsFor(deps);
  const ticket = checkTicket(env, given, t, deps.words.escape);
  if (ticket.ok) return ticket;
  if (ticket.missing && (await who.askTicket?.(env.name, env.policy.ticket?.pattern)))
    return { ok: false, reply: { text: t('ticket.asked', { env: env.name }), outcome: 'answered' } };
  await auditRefusal(deps, env.name, who.userId, kind.action, ticket.why);
  return { ok: false, reply: { text: ticket.why, outcome: 'refused' } };
}

/** Retries (backing off, within the queued lease) until Redis answers the withdrawal. */
export function withdrawWhenBack(deps: CommandDeps, run: RunRecord, who: Invocation): void {
  const giveUpAt = deps.now().getTime() + deps.lease.queuedMs;
  const attempt = (delayMs: number) => {
    const timer = setTimeout(() => {
      deps.runs
        .withdrawClaim(run, deps.lease.queuedMs)
        .then(
          async (removed) => {
            if (!removed) return;
            deps.log.warn({ runId: run.id, env: run.env }, 'a refused start had reached Redis: withdrawn');
            await auditCommand(
              deps,
              run.env,
              who.userId,
              'run.start',
              'refused',
              `run ${run.id} withdrawn: Redis failed during the start, which was refused`,
              run.id,
            );
          },
          () => {
            if (deps.now().getTime() < giveUpAt) attempt(Math.min(Math.max(delayMs * 2, 250), 5_000));
            else deps.log.error({ runId: run.id, env: run.env }, 'a refused start could not be withdrawn');
          },
        )
        .catch((error: unknown) => deps.log.warn({ runId: run.id, err: error }, 'withdrawal not audited'));
    }, delayMs);
    // Pending withdrawals must not keep a stopping process alive.
    timer.unref();
  };
  // At once: a person who tries again right away must not meet the ghost of this start.
  attempt(0);
}

function newRun(
  deps: CommandDeps,
  env: EnvironmentConfig,
  who: Invocation,
  purpose: 'login' | undefined,
): RunRecord {
  const now = deps.now().toISOString();
  return {
    id: deps.newRunId(),
    env: env.name,
    state: 'queued',
    version: 1,
    requester: { kind: 'slack', userId: who.userId },
    slack: { channel: who.channelId },
    createdAt: now,
    updatedAt: now,
    phases: [],
    ...(purpose ? { purpose } : {}),
  };
}

/** docs/architecture.md#the-flag-record: while nobody knows where the flag is, only the kill switch may act. */
export async function refuseUnverified(
  deps: CommandDeps,
  env: EnvironmentConfig,
  who: Invocation,
): Promise<Reply> {
  const why = wordsFor(deps)('commands.start.unverified', { env: env.name });
  await auditCommand(deps, env.name, who.userId, 'run.start', 'refused', 'flag unverified');
  return { text: why, outcome: 'refused' };
}

export async function alreadyGoing(
  deps: CommandDeps,
  env: EnvironmentConfig,
  who: Invocation,
  holderId: RunId,
): Promise<Reply> {
  const t = wordsFor(deps);
  const holder = await deps.runs.get(holderId);
  const link = await deps.words.link(holder?.slack, t('commands.start.runLabel', { id: holderId }));
  const by =
    holder?.requester.kind === 'slack'
      ? t('commands.start.by', { who: `<@${holder.requester.userId}>` })
      : '';
  const since = holder ? ` ${deps.words.date(holder.createdAt)}` : '';
  const state = holder ? deps.words.state(holder.state) : t('commands.start.startingState');
  const switching = holder?.state === 'cancelling';
  await auditCommand(
    deps,
    env.name,
    who.userId,
    'run.start',
    'refused',
    switching ? `run ${holderId} is switching the flag OFF` : `run ${holderId} is going`,
    holderId,
  );
  if (switching) {
    return {
      text: t('commands.start.switching', { env: env.name, link }),
      outcome: 'refused',
    };
  }
  return {
    text: t('commands.start.going', { env: env.name, link, state, by, since }),
    outcome: 'refused',
  };
}

/** The claim's audit entry joins the chain now; if Redis fails here, the reaper's next pass does it. */
async function flushAudit(deps: CommandDeps, run: RunRecord): Promise<void> {
  await deps.audit
    .flushPending(run.env)
    .catch((error: unknown) => deps.log.warn({ runId: run.id, err: error }, 'start audit entry left queued'));
}

/**
 * Hands the claimed run to the workers: the run never waits for the chat. The job's id is the
 * run's, so adding it again (the reaper, after a crash right here) is a no-op.
 */
export async function enqueueClaimed(
  deps: CommandDeps,
  run: RunRecord,
  who: Invocation,
  step: RunStep = 'start',
): Promise<void> {
  try {
    await deps.enqueue({ kind: 'run', runId: run.id, step });
  } catch (error) {
    const reason = coded(message('commands.start.notQueued', { error: errorWords(error) }));
    await finishRun(deps, run.id, endedReport(deps, run, 'failed', reason), {
      threadNote: { tone: 'failed', text: reason },
    });
    await who.respond(renderCoded(wordsFor(deps), reason));
  }
}

/** The claim found the previous run without a worker (its lease ran out): it ends, with the reason, in its thread. */
export async function endStaleRun(deps: CommandDeps, id: RunId): Promise<void> {
  const stale = await deps.runs.get(id);
  if (!stale) return;
  const reason = stale.reason || LOST_WORKER;
  await finishRun(deps, id, endedReport(deps, stale, 'failed', reason), {
    threadNote: { tone: 'warning', text: reason },
  });
}

function errorWords(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
