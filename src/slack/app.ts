import { App, HTTPReceiver } from '@slack/bolt';
import type { CommandDeps } from '../commands/index.ts';
import { decideApproval } from '../lifecycle/approval-decision.ts';
import { reviewBreakGlass } from '../lifecycle/break-glass-review.ts';
import { answerOutageConfirmation } from '../lifecycle/outage-confirmation.ts';
import { boltLogger } from '../observability/bolt-logger.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import { createRedactor } from '../util/redact.ts';
import { ackFirst } from './ack-first.ts';
import { type BotIdentity, refuseUnknownActions, registerButton } from './buttons.ts';
import { publishHome } from './home.ts';
import { registerKillSwitchReason } from './kill-switch-reason.ts';
import { wordsOf } from './language.ts';
import { registerReject } from './reject-reason.ts';
import type { SlackServices } from './slack-deps.ts';
import { instantReply, slashCommandHandler } from './slash-command.ts';
import { registerTicketModal } from './ticket-modal.ts';
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

/**
 * The Bolt app: every command and click is acked at once (no I/O first), then validated, answered
 * (ephemeral, through its response_url) and — when it starts work — enqueued; the work happens in
 * the workers. The transport (HTTP or Socket
 * Mode) changes nothing below the receiver.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const app = new App({
    token: options.botToken,
    deferInitialization: true,
    // Bolt's conversation store is unused here; its middleware ran on every request.
    convoStore: false,
    logger: boltLogger(options.log),
    clientOptions: webClientOptions(options.web, options.log),
    ...(options.appToken === undefined
      ? { receiver: httpReceiver(options) }
      : { socketMode: true, appToken: options.appToken }),
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
      uncheckedRequests(
        options.web.apiUrl,
        answerMs,
        (command) => options.metrics.commands.inc({ command, outcome: 'refused' }),
        wordsOf(options.commands.config),
      ),
    ),
  );
  const identity = options.identity ?? (() => undefined);
  const slash = slashCommandHandler({
    commands: options.commands,
    metrics: options.metrics,
    log,
    identity,
    redact: createRedactor(options.commands.config.secrets ?? []),
    answerMs,
    apiUrl: options.web.apiUrl,
  });
  app.command('/pc-verify', slash);
  registerActions(app, options.commands, log, identity);
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

/** HTTP mode: signed requests on /slack/events. */
function httpReceiver(options: SlackAppOptions): HTTPReceiver {
  return new HTTPReceiver({
    signingSecret: options.signingSecret ?? '',
    logger: boltLogger(options.log),
    // The signature travels into the context, where the replay guard reads it.
    customPropertiesExtractor: (req) => ({
      requestSignature: String(req.headers['x-slack-signature'] ?? ''),
    }),
  });
}

/** Every button this app shows; any other action is refused. */
function registerActions(
  app: App,
  deps: SlackAppOptions['commands'],
  log: Logger,
  identity: () => BotIdentity | undefined,
): void {
  const t = wordsOf(deps.config);
  registerButton(
    app,
    APPROVE_ACTION,
    (c) => decideApproval(deps, { ...c, decision: 'approved' }),
    log,
    identity,
    t,
  );
  registerReject(app, deps, log, identity);
  registerTicketModal(app, deps, log, identity);
  registerKillSwitchReason(app, deps, log, identity);
  registerButton(
    app,
    CONFIRM_OUTAGE_ACTION,
    (c) => answerOutageConfirmation(deps, { ...c, confirm: true }),
    log,
    identity,
    t,
  );
  registerButton(
    app,
    DECLINE_OUTAGE_ACTION,
    (c) => answerOutageConfirmation(deps, { ...c, confirm: false }),
    log,
    identity,
    t,
  );

  registerButton(app, BREAK_GLASS_REVIEWED_ACTION, (c) => reviewBreakGlass(deps, c), log, identity, t);

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
    t,
  );
}
