import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { CommandDeps, CommandWords } from '../commands/context.ts';
import type { RunId } from '../domain/ids.ts';
import type { Translate } from '../i18n/index.ts';
import type { LeaseSettings } from '../lifecycle/lifecycle-deps.ts';
import { dropQueuedStart, enqueue, type RunQueue } from '../lifecycle/run-queue.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { OpsSources } from '../observability/ops-http.ts';
import type { Chat } from '../outbox/chat-port.ts';
import { type BotIdentity, createSlackApp } from '../slack/app.ts';
import { wordsOf } from '../slack/language.ts';
import { messageLink } from '../slack/links.ts';
import type { SlackServices } from '../slack/slack-deps.ts';
import { flagWords } from '../slack/views/flag.ts';
import { escapeMrkdwn, outsideText, slackDate } from '../slack/views/format.ts';
import { stateWords } from '../slack/views/run-message.ts';
import { watchWords } from '../slack/views/watch.ts';
import type { RedisConnection } from '../store/connection.ts';
import { keysFor } from '../store/keys.ts';
import type { BotOptions } from './bot-options.ts';

/** Slack refuses timestamps older than 5 minutes; a signature is remembered a little longer. */
const REPLAY_WINDOW_MS = 6 * 60_000;

/** How command answers look in Slack; links come from Slack's own permalinks. */
function slackWords(chat: Pick<Chat, 'permalink'>, t: Translate): CommandWords {
  return {
    date: slackDate,
    state: (state) => stateWords(t, state),
    link: (place, label) => messageLink(chat, place, label),
    flag: (record, env) => flagWords(t, record, env),
    watch: (state, watch, env) => watchWords(t, state, watch, env),
    escape: escapeMrkdwn,
    quote: outsideText,
  };
}

/** What the web role needs from the process. */
export interface WebParts {
  readonly services: SlackServices;
  /** The fail-fast connection: Slack handlers answer within 3 s or not at all. */
  readonly redis: RedisConnection;
  readonly queue: RunQueue;
  readonly lease: LeaseSettings;
  readonly ops: OpsSources;
  readonly metrics: BotMetrics;
}

export interface RunningWeb {
  readonly app: App;
  /** Bolt's HTTP server in HTTP mode; none in Socket Mode. */
  readonly server?: Server;
}

/** The web role: Bolt answers Slack (slash commands, buttons, modals) and queues the work. */
export async function startWebRole(options: BotOptions, p: WebParts): Promise<RunningWeb> {
  const commands: CommandDeps & Pick<SlackServices, 'chat' | 'outbox'> = {
    ...p.services,
    enqueue: (job) => enqueue(p.queue, job),
    dropQueuedStart: (runId) => dropQueuedStart(p.queue, runId),
    lease: p.lease,
    newRunId: () => `r${Date.now().toString(36)}${randomBytes(4).toString('hex')}` as RunId,
    newOffId: () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
    words: slackWords(p.services.chat, wordsOf(p.services.config)),
  };
  let identity: BotIdentity | undefined;
  const keys = keysFor(options.config.deployment);
  const app = createSlackApp({
    identity: () => identity,
    firstSeen: async (signature) =>
      (await p.redis.set(keys.seenRequest(signature), '1', 'PX', REPLAY_WINDOW_MS, 'NX')) === 'OK',
    botToken: options.slack.botToken,
    ...(options.slack.signingSecret ? { signingSecret: options.slack.signingSecret } : {}),
    ...(options.slack.appToken ? { appToken: options.slack.appToken } : {}),
    web: options.slack,
    commands,
    log: options.log,
    metrics: p.metrics,
  });
  await app.init();
  const me = await app.client.auth.test();
  identity = {
    ...(me.team_id ? { teamId: me.team_id } : {}),
    ...(me.app_id ? { appId: me.app_id } : {}),
  };
  if (options.slack.appToken) {
    await app.start();
    return { app };
  }
  const server = (await app.start({ port: options.port, host: options.host ?? '0.0.0.0' })) as Server;
  return { app, server };
}
