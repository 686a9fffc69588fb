import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { RunIdSchema, SlackUserIdSchema } from '../domain/ids.ts';
import type { Translate } from '../i18n/index.ts';
import { auditRefusal } from '../lifecycle/audit-command.ts';
import type { ButtonAnswer, LifecycleDeps } from '../lifecycle/lifecycle-deps.ts';
import type { Logger } from '../observability/logger.ts';

/** The workspace and app this bot is (from auth.test): clicks from any other are refused. */
export interface BotIdentity {
  readonly teamId?: string;
  readonly appId?: string;
}

/** A button click as Slack reports it; the value (a run id) is still untrusted. */
export interface ButtonClick {
  readonly userId: string;
  readonly value: string;
  /** Where the button was: a click counts only from the message that holds it. */
  readonly channel: string;
  readonly messageTs?: string;
  /** The thread the button's message is in: a refusal is shown there, beside the button. */
  readonly threadTs?: string;
  /** Slack's handle for opening a modal in answer to this click (3 s, once). */
  readonly triggerId?: string;
}

/** The parts of a block_actions body that say where a click came from. */
const SlackTs = z.string().regex(/^\d+\.\d+$/);
const Origin = z.object({
  container: z.object({ message_ts: z.string().optional(), thread_ts: SlackTs.optional() }).optional(),
  message: z.object({ ts: z.string().optional(), thread_ts: SlackTs.optional() }).optional(),
  trigger_id: z.string().max(200).optional(),
  team: z.object({ id: z.string() }).nullable().optional(),
  api_app_id: z.string().optional(),
});

export type { ButtonAnswer };

const Clicker = z.object({
  user: SlackUserIdSchema,
  channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
});
const ButtonValue = z.string().max(100);

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * A button whose rules are checked on the server at click time: acknowledged at once (by
 * `ackFirst`, before any I/O), decided by
 * `decide`, and a refusal shown to the clicker only (ephemeral) with its reason.
 */
export function registerButton(
  app: App,
  actionId: string,
  decide: (click: ButtonClick) => Promise<ButtonAnswer>,
  log: Logger,
  identity: () => BotIdentity | undefined,
  t: Translate,
): void {
  app.action<BlockAction>(actionId, async (args) => {
    const clicker = clickerOf(args);
    if (!clicker) return log.warn({ actionId }, 'button click from an unexpected user or channel ignored');
    const origin = Origin.safeParse(args.body);
    const threadTs = origin.success
      ? (origin.data.container?.thread_ts ?? origin.data.message?.thread_ts)
      : undefined;
    const at = { ...clicker, ...(threadTs ? { threadTs } : {}) };
    const me = identity();
    const team = origin.success ? origin.data.team?.id : undefined;
    const appId = origin.success ? origin.data.api_app_id : undefined;
    if (!origin.success || (me?.teamId && team !== me.teamId) || (me?.appId && appId !== me.appId)) {
      log.warn({ actionId, user: clicker.user }, 'button click from another workspace or app refused');
      return tell(args, at, t('buttons.foreign'), log);
    }
    const messageTs = origin.data.container?.message_ts ?? origin.data.message?.ts;
    const value = ButtonValue.safeParse('value' in args.action ? args.action.value : undefined);
    if (!value.success) {
      log.warn({ actionId, user: clicker.user }, 'button click with an unreadable value refused');
      return tell(args, at, t('buttons.unreadable'), log);
    }
    const triggerId = origin.data.trigger_id;
    const answer = await decide({
      userId: clicker.user,
      value: value.data,
      channel: clicker.channel,
      ...(messageTs ? { messageTs } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...(triggerId ? { triggerId } : {}),
    }).catch((error: unknown): ButtonAnswer => {
      log.error({ err: error, actionId }, 'button click failed');
      return { accepted: false, why: t('buttons.unrecorded') };
    });
    if (!answer.accepted) await tell(args, at, answer.why, log);
  });
}

/**
 * Every action id pc-verify did not register: acknowledged like every click (so Slack shows no
 * error and Bolt no 3-second timeout), refused, and audited when its value names a run — someone is probing it.
 */
export function refuseUnknownActions(
  app: App,
  known: readonly string[],
  deps: LifecycleDeps,
  log: Logger,
  t: Translate,
): void {
  const escaped = known.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const notKnown = new RegExp(`^(?!(?:${escaped.join('|')})$)`);
  app.action<BlockAction>({ action_id: notKnown }, async (args) => {
    const actionId = printable(args.action.action_id);
    const clicker = clickerOf(args);
    log.warn({ actionId, user: clicker?.user }, 'unknown button refused');
    if (!clicker) return;
    const origin = Origin.safeParse(args.body);
    const threadTs = origin.success
      ? (origin.data.container?.thread_ts ?? origin.data.message?.thread_ts)
      : undefined;
    const value = 'value' in args.action ? RunIdSchema.safeParse(args.action.value) : undefined;
    const run = value?.success ? await deps.runs.get(value.data).catch(() => undefined) : undefined;
    if (run) {
      // The audit trail's words stay English: they are for the record, not the chat.
      await auditRefusal(
        deps,
        run.env,
        clicker.user,
        'button.unknown',
        `unknown action id "${actionId}"`,
        run.id,
      ).catch((error: unknown) => log.warn({ err: error }, 'refused click could not be audited'));
    }
    await tell(args, { ...clicker, ...(threadTs ? { threadTs } : {}) }, t('buttons.unknown'), log);
  });
}

function clickerOf(args: ActionArgs): z.infer<typeof Clicker> | undefined {
  const parsed = Clicker.safeParse({ user: args.body.user.id, channel: args.body.channel?.id });
  return parsed.success ? parsed.data : undefined;
}

/** Where a refusal goes: to the clicker only, in the thread that holds the button. */
export interface RefusalPlace {
  readonly channel: string;
  readonly user: string;
  readonly threadTs?: string;
}

export async function tell(
  args: { client: ActionArgs['client'] },
  to: RefusalPlace,
  text: string,
  log: Logger,
): Promise<void> {
  await args.client.chat
    .postEphemeral({
      channel: to.channel,
      user: to.user,
      text,
      ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
    })
    .catch((error: unknown) => log.warn({ err: error }, 'refusal could not be shown'));
}

/** An untrusted id, safe for a log line or an audit entry. */
function printable(text: string): string {
  return text.replace(/[^\w.-]/g, '?').slice(0, 60);
}
