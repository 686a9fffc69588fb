import type { App, ViewSubmitAction } from '@slack/bolt';
import type { CommandDeps, Invocation } from '../commands/context.ts';
import { startRun } from '../commands/start.ts';
import type { Logger } from '../observability/logger.ts';
import { type BotIdentity, tell } from './buttons.ts';
import { wordsOf } from './language.ts';
import { readSubmission } from './view-submission.ts';
import { TICKET_BLOCK, TICKET_INPUT, TICKET_VIEW, TicketContext } from './views/ticket-modal.ts';

/**
 * The change-ticket modal's submission: the start is made then, by the same rules as
 * `/pc-verify <env> <ticket>` (permissions, pattern, one run at a time); its answer comes as an
 * ephemeral in the channel the command was typed in.
 */
export function registerTicketModal(
  app: App,
  deps: CommandDeps,
  log: Logger,
  identity: () => BotIdentity | undefined,
): void {
  app.view<ViewSubmitAction>(TICKET_VIEW, async ({ body }) => {
    // Acknowledged already (ack-first middleware): the modal closes on that empty ack.
    const submitted = readSubmission(body, TicketContext, identity());
    if (!submitted) return log.warn({}, 'ticket modal refused: unreadable or from another workspace or app');
    const { user, at, values } = submitted;
    const place = { channel: at.channel, user };
    const who: Invocation = {
      userId: user,
      channelId: at.channel,
      respond: (text) => tell({ client: app.client }, place, text, log),
    };
    const typed = (values[TICKET_BLOCK]?.[TICKET_INPUT] ?? '').trim();
    try {
      const reply = await startRun(deps, who, at.env, typed === '' ? undefined : typed);
      await tell({ client: app.client }, place, reply.text, log);
      if (reply.after) await reply.after();
    } catch (error) {
      log.error({ err: error, user }, 'start from the ticket modal failed');
      await tell({ client: app.client }, place, wordsOf(deps.config)('buttons.startFailed'), log);
    }
  });
}
