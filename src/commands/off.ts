import { selectEnvironment } from '../config/select.ts';
import { ACTIVE_STATES, type RunState } from '../domain/run.ts';
import { mayOperate } from '../gates/permissions.ts';
import { coded, message } from '../i18n/index.ts';
import { auditCommand, auditRefusal } from '../lifecycle/audit-command.ts';
import { endedReport, finishRun } from '../lifecycle/finish-run.ts';
import { markCancelled } from '../lifecycle/mark-cancelled.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { refusal, seeHelp, wordsFor } from './language.ts';

const IDLE: readonly RunState[] = ['queued', 'awaiting_approval', 'awaiting_confirmation', 'awaiting_window'];

/**
 * `/pc-verify off <env>`: the kill switch. Requesters and approvers, no second person. A run
 * that is going is cancelled first (its worker stops within a fraction of a second), then a
 * worker turns the flag OFF, applies it and verifies `health.off`; the outcome is posted here.
 */
export async function switchOff(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: seeHelp(wordsFor(deps), found.message), outcome: 'refused' };
  const env = found.env;
  const permission = await mayOperate(deps.groups, env, who, 'off');
  if (!permission.ok) {
    const refused = refusal(deps, permission.why);
    await auditRefusal(deps, env.name, who.userId, 'flag.off', refused.audited);
    return { text: refused.text, outcome: 'refused' };
  }
  const holder = await deps.runs.lockHolder(env.name);
  const running = holder ? await deps.runs.get(holder) : undefined;
  const reason = coded(message('thread.note.cancelledByKillSwitch', { who: who.userId }));
  const idle = running !== undefined && IDLE.includes(running.state);
  const cancelled =
    running && ACTIVE_STATES.includes(running.state as never)
      ? await markCancelled(deps, running, reason, IDLE)
      : undefined;
  const offId = deps.newOffId();
  await auditCommand(
    deps,
    env.name,
    who.userId,
    'flag.off',
    'accepted',
    cancelled?.ok ? `kill switch ${offId}; cancelled run ${running?.id}` : `kill switch ${offId}`,
    cancelled?.ok ? running?.id : undefined,
  );
  const after = async () => {
    // A worker running the cancelled run says so in its thread; a run no worker holds is ended here.
    if (running && cancelled?.ok && idle) {
      await finishRun(deps, running.id, endedReport(deps, running, 'cancelled', reason), {
        threadNote: { tone: 'stopped', text: reason },
      });
    }
    await deps.enqueue({
      kind: 'off',
      offId,
      env: env.name,
      by: who.userId,
      channel: who.channelId,
    });
  };
  const t = wordsFor(deps);
  const first = cancelled?.ok && running ? t('commands.off.cancelledFirst', { id: running.id }) : '';
  return {
    text: t('commands.off.accepted', { env: env.name, first }),
    outcome: 'accepted',
    after,
  };
}
