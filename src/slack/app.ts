import { App, type CustomRoute, LogLevel } from '@slack/bolt';
import { z } from 'zod';
import type { CommandDeps } from '../commands/context.ts';
import { handleSlashCommand } from '../commands/index.ts';
import { SlackChannelIdSchema, SlackUserIdSchema } from '../domain/ids.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { webClientChat } from './chat.ts';
import { publishHome } from './home.ts';

export interface SlackAppOptions {
  readonly botToken: string;
  /** HTTP mode: signed requests on /slack/events. */
  readonly signingSecret?: string;
  /** Socket Mode: no public URL. */
  readonly appToken?: string;
  /** Web API base URL (GovSlack, tests); default Slack's. */
  readonly slackApiUrl?: string;
  readonly customRoutes?: CustomRoute[];
  readonly commands: CommandDeps;
  readonly log: Logger;
  readonly metrics: Metrics;
}

/** The slash command as Slack sends it; anything else is refused before a handler sees it. */
const SlashPayload = z.object({
  user_id: SlackUserIdSchema,
  channel_id: SlackChannelIdSchema,
  text: z.string().max(200),
});

/** The Bolt app: validate, answer (ephemeral) and enqueue within Slack's 3 s; workers do the rest. */
export function createSlackApp(options: SlackAppOptions): App {
  const socketMode = options.appToken !== undefined;
  const app = new App({
    token: options.botToken,
    deferInitialization: true,
    logLevel: LogLevel.WARN,
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      retryConfig: { retries: 2, maxTimeout: 5_000 },
    },
    ...(socketMode
      ? { socketMode: true, appToken: options.appToken }
      : { signingSecret: options.signingSecret ?? '' }),
    ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
  });

  app.command('/pc-verify', async ({ command, ack }) => {
    const started = performance.now();
    const payload = SlashPayload.safeParse(command);
    if (!payload.success) {
      await ack({
        response_type: 'ephemeral',
        text: 'pc-verify could not read this command (unexpected user, channel or text).',
      });
      return;
    }
    const who = { userId: payload.data.user_id, channelId: payload.data.channel_id };
    try {
      const reply = await handleSlashCommand(options.commands, who, payload.data.text);
      await ack({ response_type: 'ephemeral', text: reply.text });
    } catch (error) {
      options.log.error({ err: String(error), user: who.userId }, 'slash command failed');
      await ack({
        response_type: 'ephemeral',
        text: 'pc-verify could not handle this right now (its Redis may be unreachable). Nothing was started; try again in a minute.',
      });
    } finally {
      options.metrics.ackSeconds.observe((performance.now() - started) / 1000);
    }
  });

  // The login button is a plain link; Slack still reports the click, which must be acknowledged.
  app.action('open_login_page', async ({ ack }) => {
    await ack();
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(webClientChat(client), options.commands, event.user);
  });

  app.error(async (error) => {
    options.log.error({ err: String(error) }, 'bolt error');
  });
  return app;
}
