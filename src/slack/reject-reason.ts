import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import type { CommandDeps } from '../commands/context.ts';
import { RunIdSchema } from '../domain/ids.ts';
import type { Logger } from '../observability/logger.ts';
import { decideApproval } from '../runs/approval-decision.ts';
import type { BotIdentity } from './app.ts';
import { type ButtonAnswer, type ButtonClick, registerButton, tell } from './buttons.ts';
import { REJECT_ACTION } from './views/approval.ts';
import {
  cleanReason,
  REASON_BLOCK,
  REASON_INPUT,
  REJECT_REASON_VIEW,
  RejectContext,
  rejectReasonModal,
} from './views/reason-modal.ts';

const Submission = z.object({
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  team: z.object({ id: z.string() }).nullable().optional(),
  api_app_id: z.string().optional(),
  view: z.object({
    private_metadata: z.string().max(3_000),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))),
    }),
  }),
});

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
          view: rejectReasonModal(run.env, at) as never,
        });
        return { accepted: true };
      } catch (error) {
        log.warn({ err: error, runId: run.id }, 'reason modal did not open: rejecting without a reason');
        return rejectNow(click);
      }
    },
    log,
    identity,
  );

  app.view<ViewSubmitAction>(REJECT_REASON_VIEW, async ({ ack, body }) => {
    await ack();
    const parsed = Submission.safeParse(body);
    const at = parsed.success ? safeJson(parsed.data.view.private_metadata, RejectContext) : undefined;
    if (!parsed.success || !at) return log.warn({}, 'reason modal submission unreadable: ignored');
    const me = identity();
    const foreign =
      (me?.teamId && parsed.data.team?.id !== me.teamId) ||
      (me?.appId && parsed.data.api_app_id !== me.appId);
    if (foreign)
      return log.warn({ user: parsed.data.user.id }, 'reason modal from another workspace or app refused');
    const reason = cleanReason(parsed.data.view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value);
    const answer = await decideApproval(deps, {
      value: at.runId,
      userId: parsed.data.user.id,
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
      const place = {
        channel: at.channel,
        user: parsed.data.user.id,
        ...(at.threadTs ? { threadTs: at.threadTs } : {}),
      };
      await tell({ client: app.client }, place, answer.why, log);
    }
  });
}

function safeJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
