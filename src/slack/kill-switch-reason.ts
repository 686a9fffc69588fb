import type { App, ViewSubmitAction } from '@slack/bolt';
import type { CommandDeps } from '../commands/context.ts';
import { selectEnvironment } from '../config/select.ts';
import { SlackUserIdSchema } from '../domain/ids.ts';
import { mayOperate } from '../gates/permissions.ts';
import { coded, message } from '../i18n/index.ts';
import { auditCommand } from '../lifecycle/audit-command.ts';
import type { Logger } from '../observability/logger.ts';
import { killSwitchKey, killSwitchThread } from '../outbox/run-notices.ts';
import { type BotIdentity, type ButtonAnswer, type ButtonClick, registerButton } from './buttons.ts';
import { wordsOf } from './language.ts';
import type { SlackServices } from './slack-deps.ts';
import { readSubmission } from './view-submission.ts';
import { KILL_SWITCH_REASON_ACTION } from './views/kill-switch.ts';
import {
  cleanReason,
  KILL_SWITCH_REASON_VIEW,
  KillSwitchContext,
  killSwitchReasonModal,
  REASON_BLOCK,
  REASON_INPUT,
} from './views/reason-modal.ts';

type ReasonDeps = CommandDeps & Pick<SlackServices, 'outbox'>;

/**
 * "Add a reason" on a kill switch message: the switch acted already, so the reason changes
 * nothing but the record — an audit entry and a reply in the switch's thread. Whoever may
 * switch the environment off may say why.
 */
export function registerKillSwitchReason(
  app: App,
  deps: ReasonDeps,
  log: Logger,
  identity: () => BotIdentity | undefined,
): void {
  registerButton(
    app,
    KILL_SWITCH_REASON_ACTION,
    (click) => openForm(app, deps, log, click),
    log,
    identity,
    wordsOf(deps.config),
  );

  app.view<ViewSubmitAction>(KILL_SWITCH_REASON_VIEW, async ({ body }) => {
    // Acknowledged already (ack-first middleware): the modal closes on that empty ack.
    const submitted = readSubmission(body, KillSwitchContext, identity());
    if (!submitted) return log.warn({}, 'kill switch reason refused: unreadable or from another app');
    const { user, at, values } = submitted;
    const reason = cleanReason(values[REASON_BLOCK]?.[REASON_INPUT]);
    const env = selectEnvironment(deps.config, at.env);
    if (!reason || !env.ok) return;
    const allowed = await mayOperate(deps.groups, env.env, invocation(user, at.channel), 'off');
    if (!allowed.ok) return log.warn({ user }, 'kill switch reason from someone who may not switch off');
    await auditCommand(
      deps,
      env.env.name,
      user,
      'flag.off.reason',
      'info',
      `kill switch ${at.offId}: ${reason}`,
    );
    // In the switch's own thread, after what it did, through its outbox like the rest of it.
    await deps.notifier
      .notify(killSwitchThread(at.offId, at.channel), {
        kind: 'note',
        text: `:memo: ${coded(message('views.killSwitch.reasonFrom', { who: user, reason }))}`,
      })
      .catch((error: unknown) => log.warn({ err: error }, 'kill switch reason not posted (it is audited)'));
  });
}

async function openForm(app: App, deps: ReasonDeps, log: Logger, click: ButtonClick): Promise<ButtonAnswer> {
  const t = wordsOf(deps.config);
  const [envName, offId] = click.value.split('/');
  const env = selectEnvironment(deps.config, envName ?? '');
  const at = KillSwitchContext.safeParse({
    env: envName,
    offId,
    channel: click.channel,
    messageTs: click.messageTs,
  });
  if (!env.ok || !at.success || !(await isThatSwitch(deps, at.data.offId, at.data.messageTs)))
    return { accepted: false, why: t('views.killSwitch.unknownButton') };
  const user = SlackUserIdSchema.parse(click.userId);
  const allowed = await mayOperate(deps.groups, env.env, invocation(user, click.channel), 'off');
  if (!allowed.ok) return { accepted: false, why: t(allowed.why) };
  const noForm = t('views.killSwitch.noForm');
  if (!click.triggerId) return { accepted: false, why: noForm };
  try {
    await app.client.views.open({
      trigger_id: click.triggerId,
      view: killSwitchReasonModal(wordsOf(deps.config), at.data) as never,
    });
    return { accepted: true };
  } catch (error) {
    log.warn({ err: error }, 'kill switch reason form did not open');
    return { accepted: false, why: noForm };
  }
}

/** The button is on the root message of the kill switch it names, as the outbox posted it. */
async function isThatSwitch(deps: ReasonDeps, offId: string, messageTs: string): Promise<boolean> {
  const progress = await deps.outbox.progress(killSwitchKey(offId));
  return progress.rootTs === messageTs;
}

function invocation(userId: ReturnType<typeof SlackUserIdSchema.parse>, channelId: string) {
  return { userId, channelId, respond: async () => undefined };
}
