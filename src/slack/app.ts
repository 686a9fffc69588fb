import { App, HTTPReceiver } from '@slack/bolt';
import { z } from 'zod';
import { failedReply } from '../commands/failed.ts';
import { showHelp } from '../commands/help.ts';
import type { CommandDeps, Invocation, Reply } from '../commands/index.ts';
import { handleSlashCommand, parseSlashCommand } from '../commands/index.ts';
import { SlackUserIdSchema } from '../domain/ids.ts';
import { decideApproval } from '../lifecycle/approval-decision.ts';
import { reviewBreakGlass } from '../lifecycle/break-glass-review.ts';
import { answerOutageConfirmation } from '../lifecycle/outage-confirmation.ts';
import { boltLogger } from '../observability/bolt-logger.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import { createRedactor } from '../util/redact.ts';
import { ackFirst } from './ack-first.ts';
import { answerTo } from './answer-to.ts';
import { type BotIdentity, refuseUnknownActions, registerButton } from './buttons.ts';
import { publishHome } from './home.ts';
import { registerKillSwitchReason } from './kill-switch-reason.ts';
import { registerReject } from './reject-reason.ts';
import { fromThisApp } from './request-origin.ts';
import type { SlackServices } from './slack-deps.ts';
import { uncheckedRequests } from './unchecked-requests.ts';
import { APPROVE_ACTION, REJECT_ACTION } from './views/approval.ts';
import { BREAK_GLASS_REVIEWED_ACTION } from './views/break-glass.ts';
import { KILL_SWITCH_REASON_ACTION } from './views/kill-switch.ts';
import { OPEN_LOGIN_PAGE_ACTION } from './views/login-dm.ts';
import { CONFIRM_OUTAGE_ACTION, DECLINE_OUTAGE_ACTION } from './views/outage-confirmation.ts';
import { type WebClientSettings, webClientOptions } from './web-client.ts';
import { WorkLane } from './work-lane.ts';

export interface SlackAppOptions {
  readonly botToken: string;
  /** HTTP mode: signed requests on /slack/events. */
  readonly signingSecret?: string;
  /** Socket Mode (no public URL): set this, and the app connects out to Slack. */
  readonly appToken?: string;
  readonly web: WebClientSettings;
  readonly commands: CommandDeps & Pick<SlackServices, 'chat' | 'outbox'>;
  readonly log: Logger;
  readonly metrics: BotMetrics;
  /**
   * True the first time a request signature is seen inside Slack's 5-minute window (kept in
   * Redis): a signed request sent again is a replay and is refused (HTTP mode).
   */
  readonly firstSeen?: (signature: string) => Promise<boolean>;
  /** The workspace and app this bot is (from auth.test): clicks from any other are refused. */
  readonly identity?: () => BotIdentity | undefined;
}

export type { BotIdentity };

/** The slash command as Slack sends it; anything else is refused before a handler sees it. */
const SlashPayload = z.object({
  user_id: SlackUserIdSchema,
  channel_id: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  team_domain: z.string().optional(),
  text: z.string().max(300),
});

const UNREADABLE: Reply = {
  text: 'pc-verify could not read this command (unexpected user, channel or text). Try `/pc-verify help`.',
  outcome: 'refused',
};

/**
 * The Bolt app: every command and click is acked at once (no I/O first), then validated, answered
 * (ephemeral, through its response_url) and — when it starts work — enqueued; the work happens in
 * the workers. The transport (HTTP or Socket
 * Mode) changes nothing below the receiver.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const socketMode = options.appToken !== undefined;
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret ?? '',
        logger: boltLogger(options.log),
        // The signature travels into the context, where the replay guard below reads it.
        customPropertiesExtractor: (req) => ({
          requestSignature: String(req.headers['x-slack-signature'] ?? ''),
        }),
      });
  const app = new App({
    token: options.botToken,
    deferInitialization: true,
    // Bolt's conversation store is unused here; its middleware ran on every request.
    convoStore: false,
    logger: boltLogger(options.log),
    clientOptions: webClientOptions(options.web, options.log),
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken }),
  });
  const log = options.log.child({ component: 'commands' });
  // Registered first: every command and click is acked before any middleware or handler runs.
  const answerMs = options.web.timeoutMs ?? 10_000;
  app.use(
    ackFirst(
      options.firstSeen,
      log,
      new WorkLane(),
      (body) => instantReply(options.commands, body),
      uncheckedRequests(options.web.apiUrl, answerMs, (command) =>
        options.metrics.commands.inc({ command, outcome: 'refused' }),
      ),
    ),
  );

  const identity = options.identity ?? (() => undefined);
  const redact = createRedactor(options.commands.config.secrets ?? []);
  app.command('/pc-verify', async ({ command, client, body, context }) => {
    const started = performance.now();
    if (!fromThisApp(body, identity())) {
      options.metrics.commands.inc({ command: 'foreign', outcome: 'refused' });
      log.warn(
        { team: String(body.team_id), app: String(body.api_app_id) },
        'slash command from another workspace or app refused',
      );
      return;
    }
    const payload = SlashPayload.safeParse(command);
    const parsed = payload.success ? parseSlashCommand(payload.data.text) : undefined;
    if (context.answeredInAck) {
      const kind = parsed?.kind ?? 'unreadable';
      options.metrics.answerSeconds.observe({ command: kind }, 0);
      options.metrics.commands.inc({
        command: kind,
        outcome: parsed?.kind === 'help' ? 'answered' : 'refused',
      });
      log.info({ command: kind, user: payload.data?.user_id, answered: 'in the ack' }, 'slash command');
      return;
    }
    const answer = answerTo(
      body.response_url,
      { timeoutMs: answerMs, apiUrl: options.web.apiUrl, redact, log },
      (text) =>
        payload.success
          ? client.chat.postEphemeral({ channel: payload.data.channel_id, user: payload.data.user_id, text })
          : Promise.resolve(),
    );
    let reply = UNREADABLE;
    let who: Invocation | undefined;
    if (payload.success && parsed) {
      who = {
        userId: payload.data.user_id,
        channelId: payload.data.channel_id,
        ...(payload.data.team_domain ? { teamDomain: payload.data.team_domain } : {}),
        respond: (text) => answer({ text }),
      };
      reply = await handleSlashCommand(options.commands, who, parsed).catch((error: unknown) => {
        log.error({ err: error, command: parsed.kind }, 'slash command failed');
        return failedReply(parsed, error);
      });
    }
    const answered = await answer({
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
    }).then(
      () => true,
      (error: unknown) => {
        log.warn(
          { err: error, command: parsed?.kind },
          'the answer to a slash command could not be delivered',
        );
        return false;
      },
    );
    const kind = parsed?.kind ?? 'unreadable';
    const seconds = (performance.now() - started) / 1000;
    options.metrics.answerSeconds.observe({ command: kind }, seconds);
    options.metrics.commands.inc({ command: kind, outcome: reply.outcome });
    log.info(
      {
        command: kind,
        user: who?.userId,
        channel: who?.channelId,
        outcome: reply.outcome,
        answered,
        answerMs: Math.round(seconds * 1000),
      },
      'slash command',
    );
    if (reply.after && who) await runAfter(reply.after, who, log);
  });

  const deps = options.commands;
  registerButton(
    app,
    APPROVE_ACTION,
    (c) => decideApproval(deps, { ...c, decision: 'approved' }),
    log,
    identity,
  );
  registerReject(app, deps, log, identity);
  registerKillSwitchReason(app, deps, log, identity);
  registerButton(
    app,
    CONFIRM_OUTAGE_ACTION,
    (c) => answerOutageConfirmation(deps, { ...c, confirm: true }),
    log,
    identity,
  );
  registerButton(
    app,
    DECLINE_OUTAGE_ACTION,
    (c) => answerOutageConfirmation(deps, { ...c, confirm: false }),
    log,
    identity,
  );

  registerButton(app, BREAK_GLASS_REVIEWED_ACTION, (c) => reviewBreakGlass(deps, c), log, identity);

  // The login button is a plain link; Slack still reports the click (acked like every other).
  app.action(OPEN_LOGIN_PAGE_ACTION, async () => undefined);
  refuseUnknownActions(
    app,
    [
      APPROVE_ACTION,
      REJECT_ACTION,
      CONFIRM_OUTAGE_ACTION,
      DECLINE_OUTAGE_ACTION,
      OPEN_LOGIN_PAGE_ACTION,
      KILL_SWITCH_REASON_ACTION,
      BREAK_GLASS_REVIEWED_ACTION,
    ],
    deps,
    log,
  );

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await publishHome(options.commands, event.user).catch((error: unknown) =>
      log.warn({ err: error }, 'App Home could not be published'),
    );
  });

  app.error(async (error) => {
    log.error({ err: error }, 'bolt error');
  });
  return app;
}

async function runAfter(after: () => Promise<void>, who: Invocation, log: Logger): Promise<void> {
  try {
    await after();
  } catch (error) {
    log.error({ err: error, user: who.userId }, 'work after the ack failed');
    await who
      .respond('Something went wrong after your command was accepted; the bot log has the details.')
      .catch(() => undefined);
  }
}

const SlashCommandBody = z.object({ command: z.literal('/pc-verify') });

/** The answer to a command that needs no I/O: help, or a command pc-verify cannot read. */
function instantReply(deps: CommandDeps, body: unknown): Reply | undefined {
  if (!SlashCommandBody.safeParse(body).success) return undefined;
  const payload = SlashPayload.safeParse(body);
  if (!payload.success) return UNREADABLE;
  const parsed = parseSlashCommand(payload.data.text);
  if (parsed === undefined) return UNREADABLE;
  if (parsed.kind === 'help') return showHelp(deps.config);
  if (parsed.kind === 'invalid') return showHelp(deps.config, parsed.reason);
  return undefined;
}
