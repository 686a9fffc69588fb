import type { App, ViewSubmitAction } from '@slack/bolt';
import type { CommandDeps } from '../commands/context.ts';
import { RunIdSchema } from '../domain/ids.ts';
import { decideApproval } from '../lifecycle/approval-decision.ts';
import type { Logger } from '../observability/logger.ts';
import { type BotIdentity, type ButtonAnswer, type ButtonClick, registerButton, tell } from './buttons.ts';
import { wordsOf } from './language.ts';
import { readSubmission } from './view-submission.ts';
import { REJECT_ACTION } from './views/approval.ts';
import {
  cleanReason,
  REASON_BLOCK,
  REASON_INPUT,
  REJECT_REASON_VIEW,
  RejectContext,
  rejectReasonModal,
} from './views/reason-modal.ts';

/**
 * Reject asks for a reason in a modal opened with the click's trigger_id; the rules are checked
 * when it is submitted. A modal that cannot open (trigger too old, Slack away) does not swallow
 * the decision: the click rejects at once, without a reason.
 */
export function registerReject(
  app: App,
  deps: CommandDeps,
  log: Logger,
  identity: () => BotIdentity | undefined,
): void {
  const rejectNow = (c: ButtonClick) => decideApproval(deps, { ...c, decision: 'rejected' });
  registerButton(
    app,
    REJECT_ACTION,
    async (click): Promise<ButtonAnswer> => {
      const id = RunIdSchema.safeParse(click.value);
      const run = id.success ? await deps.runs.get(id.data).catch(() => undefined) : undefined;
      // A run past its gate gets its refusal at once, not a modal that leads nowhere.
      if (!click.triggerId || !click.messageTs || run?.state !== 'awaiting_approval') return rejectNow(click);
      const at = {
        runId: run.id,
        channel: click.channel,
        messageTs: click.messageTs,
        ...(click.threadTs ? { threadTs: click.threadTs } : {}),
      };
      try {
        await app.client.views.open({
          trigger_id: click.triggerId,
          view: rejectReasonModal(wordsOf(deps.config), run.env, at) as never,
        });
        return { accepted: true };
      } catch (error) {
        log.warn({ err: error, runId: run.id }, 'reason modal did not open: rejecting without a reason');
        return rejectNow(click);
      }
    },
    log,
    identity,
    wordsOf(deps.config),
  );

  app.view<ViewSubmitAction>(REJECT_REASON_VIEW, async ({ body }) => {
    // Acknowledged already (ack-first middleware): the modal closes on that empty ack.
    const submitted = readSubmission(body, RejectContext, identity());
    if (!submitted) return log.warn({}, 'reason modal refused: unreadable or from another workspace or app');
    const { user, at, values } = submitted;
    const reason = cleanReason(values[REASON_BLOCK]?.[REASON_INPUT]);
    const answer = await decideApproval(deps, {
      value: at.runId,
      userId: user,
      decision: 'rejected',
      channel: at.channel,
      messageTs: at.messageTs,
      ...(reason ? { reason } : {}),
    }).catch((error: unknown): ButtonAnswer => {
      log.error({ err: error }, 'reject with a reason failed');
      return {
        accepted: false,
        why: 'pc-verify could not record this right now; nothing changed. Try again.',
      };
    });
    if (!answer.accepted) {
      const place = { channel: at.channel, user, ...(at.threadTs ? { threadTs: at.threadTs } : {}) };
      await tell({ client: app.client }, place, answer.why, log);
    }
  });
}
