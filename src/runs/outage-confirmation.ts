import { auditCommand } from '../commands/audit-trail.ts';
import { isListed } from '../commands/authz.ts';
import type { CommandDeps } from '../commands/context.ts';
import { RunIdSchema } from '../domain/ids.ts';
import type { RunRecord } from '../domain/run.ts';
import type { ButtonAnswer } from '../slack/buttons.ts';
import type { SlackRunReporter } from '../slack/reporter.ts';
import { outageConfirmationRequest } from '../slack/views/outage-confirmation.ts';
import { endedReport, finishRun, reporterOf } from './finish.ts';
import { OUTAGE_NOT_CONFIRMED } from './outage-guard.ts';
import type { BotServices, LeaseSettings } from './services.ts';

/**
 * In prod, when the flag is ON now, Phase 1 would switch a live feature OFF. The run stops
 * before changing anything and asks the requester (buttons in the thread); it holds its
 * environment but no job while it waits. Without an answer it runs out like an approval.
 */
export async function askToConfirmOutage(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
  reporter: SlackRunReporter,
): Promise<void> {
  const env = s.config.environments.get(run.env);
  if (!env) return;
  const moved = await s.runs.transition(run.id, ['queued', 'phase0'], 'awaiting_confirmation');
  if (!moved.ok) return;
  await s.runs.renewLease(run.env, run.id, env.policy.approvalTtl + lease.workingMs);
  const request = outageConfirmationRequest(moved.run);
  const confirmationTs = await s.chat
    .post(reporter.place.channel, request.text, request.blocks, reporter.place.rootTs)
    .catch((error: unknown) => {
      s.log.warn({ runId: run.id, err: error }, 'confirmation request not posted');
      return undefined;
    });
  if (confirmationTs) await s.runs.patch(run.id, ['awaiting_confirmation'], () => ({ confirmationTs }));
  await reporter.refresh(moved.run);
}

/** The requester's answer: go on (Phase 0 onward, the flag goes OFF in Phase 1) or stop with nothing changed. */
export async function answerOutageConfirmation(
  deps: CommandDeps,
  click: { value: string; userId: string; confirm: boolean; channel: string; messageTs?: string },
): Promise<ButtonAnswer> {
  const id = RunIdSchema.safeParse(click.value);
  const run = id.success ? await deps.runs.get(id.data) : undefined;
  if (!run) return { accepted: false, why: 'This button does not name a known run.' };
  const refuse = async (why: string): Promise<ButtonAnswer> => {
    await audit(deps, run, click, 'refused', why);
    return { accepted: false, why };
  };
  if (run.state !== 'awaiting_confirmation')
    return refuse(`This run is no longer waiting for a confirmation (it is ${run.state}).`);
  if (!run.confirmationTs || click.messageTs !== run.confirmationTs || click.channel !== run.slack?.channel)
    return refuse('This click did not come from the confirmation request of this run; nothing changed.');
  const isRequester = run.requester.kind === 'slack' && run.requester.userId === click.userId;
  const env = deps.config.environments.get(run.env);
  const mayStop =
    isRequester ||
    (env !== undefined &&
      (await isListed(env.policy.approvers, click.userId, deps.groups).catch(() => false)));
  if (click.confirm ? !isRequester : !mayStop) return refuse('Only the requester of this run can answer.');
  const to = click.confirm ? 'queued' : 'cancelled';
  const moved = await deps.runs.transition(run.id, ['awaiting_confirmation'], to, () =>
    click.confirm ? { outageConfirmedBy: click.userId as never } : { reason: OUTAGE_NOT_CONFIRMED },
  );
  if (!moved.ok) return refuse(`Someone answered first: the run is ${moved.state ?? 'gone'}.`);
  await audit(
    deps,
    run,
    click,
    'accepted',
    click.confirm ? 'flag may be turned OFF for verification' : 'stopped',
  );
  if (click.confirm) {
    const reporter = reporterOf(deps, moved.run);
    await reporter?.answerConfirmation(
      moved.run,
      `<@${click.userId}> confirmed that Phase 1 may turn it OFF for verification.`,
    );
    await reporter?.reply(
      `:white_check_mark: <@${click.userId}> confirmed: Phase 1 may turn the live flag OFF. Starting.`,
    );
    await deps.enqueue({ kind: 'run', runId: run.id, step: 'confirmed' });
  } else {
    await finishRun(deps, run.id, endedReport(deps, moved.run, 'cancelled', OUTAGE_NOT_CONFIRMED));
  }
  return { accepted: true };
}

async function audit(
  deps: CommandDeps,
  run: RunRecord,
  click: { userId: string; confirm: boolean },
  outcome: 'accepted' | 'refused',
  detail: string,
): Promise<void> {
  const action = click.confirm ? 'outage.confirm' : 'outage.decline';
  await auditCommand(deps, run.env, click.userId, action, outcome, detail, run.id);
}
