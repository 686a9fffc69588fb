import type { EnvironmentConfig } from '../config/config.ts';
import { selectEnvironment } from '../config/select.ts';
import { ACTIVE_STATES, type RunRecord, type RunState } from '../domain/run.ts';
import { mayOperate } from '../gates/permissions.ts';
import { coded, message } from '../i18n/index.ts';
import { auditCommand, auditRefusal } from '../lifecycle/audit-command.ts';
import { endedReport, finishRun } from '../lifecycle/finish-run.ts';
import { markCancelled } from '../lifecycle/mark-cancelled.ts';
import { reapEnvironment } from '../lifecycle/reaper.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { refusal, seeHelp, wordsFor } from './language.ts';

/** States in which no worker holds the run: the command ends it itself. */
const IDLE: readonly RunState[] = ['queued', 'awaiting_approval', 'awaiting_confirmation', 'awaiting_window'];

/**
 * `/pc-verify cancel <env>`: the run becomes `cancelled` at once, which frees the environment.
 * A worker running it sees that within a fraction of a second, stops its commands and
 * requests (rolling back a half-done Phase 3 when configured) and records the end; a run no
 * worker holds is ended here.
 */
export async function cancelRun(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = await runToCancel(deps, who, envName);
  if (!found.ok) return found.reply;
  const { env, run } = found;
  const t = wordsFor(deps);
  // Data, not words: who cancelled; the chat and the terminal word it in their language.
  const reason = coded(message('thread.note.cancelledBy', { who: who.userId }));
  if (run.state === 'cancelling') {
    return {
      text: t('commands.cancel.alreadyCancelling', { id: run.id }),
      outcome: 'refused',
    };
  }
  const idle = IDLE.includes(run.state);
  // A run that may have switched the flag keeps the environment (cancelling) until its worker
  // verifies the flag OFF again; otherwise the environment is free at once.
  const moved = await markCancelled(deps, run, reason, IDLE);
  const freed = moved.ok && moved.state === 'cancelled';
  if (!moved.ok) {
    return {
      text: t('commands.cancel.endedFirst', { id: run.id, state: moved.state ?? t('commands.cancel.gone') }),
      outcome: 'refused',
    };
  }
  await auditCommand(
    deps,
    env.name,
    who.userId,
    'run.cancel',
    'accepted',
    `run ${run.id} (${run.state})`,
    run.id,
  );
  // A worker running it says so in the thread when it stops (the reaper, should it be gone);
  // a run no worker holds is ended here.
  const after = idle ? () => endIdleRun(deps, run, reason) : undefined;
  return {
    text: t(freed ? 'commands.cancel.freed' : 'commands.cancel.cancelling', {
      id: run.id,
      env: env.name,
      state: run.state,
    }),
    outcome: 'accepted',
    ...(after ? { after } : {}),
  };
}

type RunToCancel = { ok: true; env: EnvironmentConfig; run: RunRecord } | { ok: false; reply: Reply };

/** The environment's going run, once the person may cancel it; a refusal is audited. */
async function runToCancel(deps: CommandDeps, who: Invocation, envName: string): Promise<RunToCancel> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok)
    return {
      ok: false,
      reply: { text: seeHelp(wordsFor(deps), found.message), outcome: 'refused' },
    };
  const env = found.env;
  const permission = await mayOperate(deps.groups, env, who, 'cancel');
  if (!permission.ok) {
    const refused = refusal(deps, permission.why);
    await auditRefusal(deps, env.name, who.userId, 'run.cancel', refused.audited);
    return { ok: false, reply: { text: refused.text, outcome: 'refused' } };
  }
  const holder = await deps.runs.lockHolder(env.name);
  const run = holder ? await deps.runs.get(holder) : undefined;
  if (!run || !ACTIVE_STATES.includes(run.state as never)) {
    await auditCommand(deps, env.name, who.userId, 'run.cancel', 'refused', 'no run going');
    return {
      ok: false,
      reply: {
        text: wordsFor(deps)('commands.cancel.nothing', { env: env.name }),
        outcome: 'refused',
        after: () => reapEnvironment(deps, env.name),
      },
    };
  }
  return { ok: true, env, run };
}

/** A run no worker holds: its queued start is dropped and it is ended here. */
async function endIdleRun(deps: CommandDeps, run: RunRecord, reason: string): Promise<void> {
  await deps.dropQueuedStart(run.id).catch(() => undefined);
  await finishRun(deps, run.id, endedReport(deps, run, 'cancelled', reason), {
    threadNote: { tone: 'stopped', text: reason },
  });
}
