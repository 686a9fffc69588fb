import type { App } from '@slack/bolt';
import { z } from 'zod';
import { SlackUserIdSchema } from '../domain/ids.ts';
import type { Logger } from '../observability/logger.ts';

/** A button click as Slack reports it; the value (a run id) is still untrusted. */
export interface ButtonClick {
  readonly userId: string;
  readonly value: string;
}

export type ButtonAnswer = { readonly accepted: true } | { readonly accepted: false; readonly why: string };

const ClickPayload = z.object({
  user: SlackUserIdSchema,
  channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  value: z.string().max(100),
});

const UNRECORDED = 'pc-verify could not record this right now; nothing changed. Try again.';

/**
 * A button whose rules are checked on the server at click time: acknowledged at once, decided by
 * `decide`, and a refusal shown to the clicker only (ephemeral) with its reason.
 */
export function registerButton(
  app: App,
  actionId: string,
  decide: (click: ButtonClick) => Promise<ButtonAnswer>,
  log: Logger,
): void {
  app.action(actionId, async ({ ack, body, action, client }) => {
    await ack();
    const click = ClickPayload.safeParse({
      user: body.user.id,
      channel: body.channel?.id,
      value: 'value' in action ? action.value : undefined,
    });
    if (!click.success) return;
    const answer = await decide({ userId: click.data.user, value: click.data.value }).catch(
      (error: unknown): ButtonAnswer => {
        log.error({ err: error, actionId }, 'button click failed');
        return { accepted: false, why: UNRECORDED };
      },
    );
    if (!answer.accepted) {
      await client.chat
        .postEphemeral({ channel: click.data.channel, user: click.data.user, text: answer.why })
        .catch((error: unknown) => log.warn({ err: error }, 'refusal could not be shown'));
    }
  });
}
