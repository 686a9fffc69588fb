import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { failedReply } from '../commands/failed.ts';
import { showHelp } from '../commands/help.ts';
import type { CommandDeps, Invocation, Reply } from '../commands/index.ts';
import { handleSlashCommand, parseSlashCommand } from '../commands/index.ts';
import { wordsFor } from '../commands/language.ts';
import type { SlashCommand } from '../commands/parse.ts';
import { SlackUserIdSchema } from '../domain/ids.ts';
import { type Language, type Translate, translator } from '../i18n/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { Redactor } from '../util/redact.ts';
import { answerTo } from './answer-to.ts';
import type { BotIdentity } from './buttons.ts';
import { fromThisApp } from './request-origin.ts';
import type { Answer } from './respond.ts';
import { ticketModal } from './views/ticket-modal.ts';

/** The slash command as Slack sends it; anything else is refused before a handler sees it. */
const SlashPayload = z.object({
  user_id: SlackUserIdSchema,
  channel_id: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  team_domain: z.string().optional(),
  text: z.string().max(300),
  trigger_id: z.string().max(200).optional(),
});
type SlashData = z.infer<typeof SlashPayload>;

/** The answer to a payload that is not a command pc-verify can read. */
function unreadable(deps: Pick<CommandDeps, 'config'>): Reply {
  return { text: wordsFor(deps)('commands.unreadable'), outcome: 'refused' };
}

/** What the slash command's handler works with, fixed when the app is built. */
export interface SlashSettings {
  readonly commands: CommandDeps;
  readonly metrics: BotMetrics;
  readonly log: Logger;
  readonly identity: () => BotIdentity | undefined;
  readonly redact: Redactor;
  readonly answerMs: number;
  readonly apiUrl: string | undefined;
}

/**
 * `/pc-verify …` after its ack: refused from another app, counted when the ack already
 * answered it, else handled and answered through its response_url, then measured and logged.
 */
export function slashCommandHandler(settings: SlashSettings): Middleware<SlackCommandMiddlewareArgs> {
  const { metrics, log } = settings;
  return async ({ command, client, body, context }) => {
    const started = performance.now();
    if (!fromThisApp(body, settings.identity())) return refuseForeign(settings, body);
    const payload = SlashPayload.safeParse(command);
    const data = payload.success ? payload.data : undefined;
    const parsed = data ? parseSlashCommand(data.text) : undefined;
    if (context.answeredInAck) return countAnsweredInAck(settings, parsed, data);
    const answer = answerTo(
      body.response_url,
      { timeoutMs: settings.answerMs, apiUrl: settings.apiUrl, redact: settings.redact, log },
      (text) =>
        data
          ? client.chat.postEphemeral({ channel: data.channel_id, user: data.user_id, text })
          : Promise.resolve(),
    );
    const openView: OpenView = (trigger_id, view) => client.views.open({ trigger_id, view: view as never });
    const { reply, who } = await replyTo(settings, data, parsed, answer, openView);
    const answered = await deliver(answer, reply, parsed, log);
    const kind = parsed?.kind ?? 'unreadable';
    const seconds = (performance.now() - started) / 1000;
    metrics.answerSeconds.observe({ command: kind }, seconds);
    metrics.commands.inc({ command: kind, outcome: reply.outcome });
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
    if (reply.after && who) await runAfter(reply.after, who, log, wordsFor(settings.commands));
  };
}

function refuseForeign(
  { metrics, log }: SlashSettings,
  body: { readonly team_id?: unknown; readonly api_app_id?: unknown },
): void {
  metrics.commands.inc({ command: 'foreign', outcome: 'refused' });
  log.warn(
    { team: String(body.team_id), app: String(body.api_app_id) },
    'slash command from another workspace or app refused',
  );
}

function countAnsweredInAck(
  { metrics, log }: SlashSettings,
  parsed: SlashCommand | undefined,
  data: SlashData | undefined,
): void {
  const kind = parsed?.kind ?? 'unreadable';
  metrics.answerSeconds.observe({ command: kind }, 0);
  metrics.commands.inc({ command: kind, outcome: parsed?.kind === 'help' ? 'answered' : 'refused' });
  log.info({ command: kind, user: data?.user_id, answered: 'in the ack' }, 'slash command');
}

/** Opens a modal with the command's trigger_id. */
type OpenView = (triggerId: string, view: Record<string, unknown>) => Promise<unknown>;

/** The change-ticket dialog for this command; a dialog that cannot open leaves the ephemeral refusal. */
function ticketAsker(
  openView: OpenView,
  data: SlashData,
  log: Logger,
  language: Language,
): NonNullable<Invocation['askTicket']> {
  return async (env, pattern) => {
    const at = { env, channel: data.channel_id };
    try {
      await openView(data.trigger_id ?? '', ticketModal(at, pattern, translator(language)));
      return true;
    } catch (error) {
      log.warn({ err: error, env }, 'ticket modal did not open: the form to type is said instead');
      return false;
    }
  };
}

async function replyTo(
  { commands, log }: SlashSettings,
  data: SlashData | undefined,
  parsed: SlashCommand | undefined,
  answer: Answer,
  openView?: OpenView,
): Promise<{ reply: Reply; who?: Invocation }> {
  if (!data || !parsed) return { reply: unreadable(commands) };
  const who: Invocation = {
    userId: data.user_id,
    channelId: data.channel_id,
    ...(data.team_domain ? { teamDomain: data.team_domain } : {}),
    respond: (text) => answer({ text }),
    ...(data.trigger_id && openView
      ? { askTicket: ticketAsker(openView, data, log, commands.config.language ?? 'en') }
      : {}),
  };
  const reply = await handleSlashCommand(commands, who, parsed).catch((error: unknown) => {
    log.error({ err: error, command: parsed.kind }, 'slash command failed');
    return failedReply(wordsFor(commands), parsed, error);
  });
  return { reply, who };
}

/** True when the answer reached Slack; a failure is logged, never thrown at Bolt. */
function deliver(
  answer: Answer,
  reply: Reply,
  parsed: SlashCommand | undefined,
  log: Logger,
): Promise<boolean> {
  return answer({ text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) }).then(
    () => true,
    (error: unknown) => {
      log.warn({ err: error, command: parsed?.kind }, 'the answer to a slash command could not be delivered');
      return false;
    },
  );
}

async function runAfter(
  after: () => Promise<void>,
  who: Invocation,
  log: Logger,
  t: Translate,
): Promise<void> {
  try {
    await after();
  } catch (error) {
    log.error({ err: error, user: who.userId }, 'work after the ack failed');
    await who.respond(t('commands.afterFailed')).catch(() => undefined);
  }
}

const SlashCommandBody = z.object({ command: z.literal('/pc-verify') });

/** The answer to a command that needs no I/O: help, or a command pc-verify cannot read. */
export function instantReply(deps: CommandDeps, body: unknown): Reply | undefined {
  if (!SlashCommandBody.safeParse(body).success) return undefined;
  const payload = SlashPayload.safeParse(body);
  if (!payload.success) return unreadable(deps);
  const parsed = parseSlashCommand(payload.data.text);
  if (parsed === undefined) return unreadable(deps);
  if (parsed.kind === 'help') return showHelp(deps.config);
  if (parsed.kind === 'invalid') return showHelp(deps.config, parsed.reason);
  return undefined;
}
