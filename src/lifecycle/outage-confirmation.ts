import { RunIdSchema } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import { OUTAGE_NOT_CONFIRMED } from '../gates/outage-guard.ts';
import { mayAnswerOutage } from '../gates/permissions.ts';
import { type Message, message, translator } from '../i18n/index.ts';
import { voiceOf } from '../outbox/run-announcer.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import { auditCommand, auditRefusal } from './audit-command.ts';
import { endedReport, finishRun } from './finish-run.ts';
import type { BotServices, ButtonAnswer, LeaseSettings, LifecycleDeps } from './lifecycle-deps.ts';

/**
 * In prod, when the flag is ON now, Phase 1 would switch a live feature OFF. The run stops
 * before changing anything and asks the requester (buttons in the thread); it holds its
 * environment but no job while it waits. Without an answer it runs out like an approval.
 * The question is asked in the state change's own step, like an approval request.
 */
export async function askToConfirmOutage(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
): Promise<void> {
  const env = s.config.environments.get(run.env);
  if (!env) return;
  // The notifier stores the request's ts once it is posted: a click counts only from there.
  const notices = stepNotices(s.notifier, (waiting) => [
    { kind: 'outage_confirmation', run: waiting },
    { kind: 'root', run: waiting },
  ]);
  const moved = await s.runs.askOutageConfirmation(run.id, notices.appends);
  if (!moved.ok) return;
  await notices.told(moved.run);
  await s.runs.renewLease(run.env, run.id, env.policy.approvalTtl + lease.workingMs);
}

/** The requester's answer: go on (Phase 0 onward, the flag goes OFF in Phase 1) or stop with nothing changed. */
export async function answerOutageConfirmation(
  deps: LifecycleDeps,
  click: { value: string; userId: string; confirm: boolean; channel: string; messageTs?: string },
): Promise<ButtonAnswer> {
  const id = RunIdSchema.safeParse(click.value);
  const run = id.success ? await deps.runs.get(id.data) : undefined;
  const words = translator(deps.config.language ?? 'en');
  if (!run) return { accepted: false, why: words('clicks.noKnownRun') };
  // The audit trail in English; the clicker reads it in the deployment's language.
  const refuse = async (why: Message): Promise<ButtonAnswer> => {
    await auditRefusal(deps, run.env, click.userId, actionOf(click), translator('en')(why), run.id);
    return { accepted: false, why: words(why) };
  };
  if (run.state !== 'awaiting_confirmation')
    return refuse(message('clicks.notAwaitingConfirmation', { state: run.state }));
  if (!run.confirmationTs || click.messageTs !== run.confirmationTs || click.channel !== run.slack?.channel)
    return refuse(message('clicks.notTheConfirmation'));
  const env = deps.config.environments.get(run.env);
  const permission = await mayAnswerOutage(deps.groups, env, run, click.userId, click.confirm);
  if (!permission.ok) return refuse(permission.why);
  const to = click.confirm ? 'queued' : 'cancelled';
  const moved = await deps.runs.answerOutageConfirmation(run.id, to, () =>
    click.confirm ? { outageConfirmedBy: click.userId as never } : { reason: OUTAGE_NOT_CONFIRMED },
  );
  if (!moved.ok) return refuse(message('clicks.answeredFirst', { state: moved.state ?? 'gone' }));
  await audit(
    deps,
    run,
    click,
    'accepted',
    click.confirm ? 'flag may be turned OFF for verification' : 'stopped',
  );
  if (click.confirm) {
    const voice = voiceOf(deps, moved.run);
    await voice.say({ kind: 'outage_confirmed', env: run.env, by: click.userId });
    await voice.say({ kind: 'outage_go_ahead', by: click.userId });
    await deps.enqueue({ kind: 'run', runId: run.id, step: 'confirmed' });
  } else {
    await finishRun(deps, run.id, endedReport(deps, moved.run, 'cancelled', OUTAGE_NOT_CONFIRMED));
  }
  return { accepted: true };
}

async function audit(
  deps: LifecycleDeps,
  run: RunRecord,
  click: { userId: string; confirm: boolean },
  outcome: 'accepted' | 'refused',
  detail: string,
): Promise<void> {
  await auditCommand(deps, run.env, click.userId, actionOf(click), outcome, detail, run.id);
}

function actionOf(click: { confirm: boolean }): string {
  return click.confirm ? 'outage.confirm' : 'outage.decline';
}
