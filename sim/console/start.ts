import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Language } from '../../src/i18n/index.ts';
import { startBot } from '../../src/main/all.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { BotDoor } from './door.ts';
import { ConsoleMemory } from './local-ephemerals.ts';
import { startConsoleServer } from './server.ts';
import { ConsoleView } from './view.ts';
import { startConsoleWorld } from './world.ts';

export interface ChatConsoleOptions {
  readonly redisUrl: string;
  /** Approve every device-code login at once (scripted runs); default false: the person decides. */
  readonly autoLogin?: boolean;
  /** The page's port on 127.0.0.1; default 0 (a free one). */
  readonly port?: number;
  /** The bot's log level; default warn. */
  readonly logLevel?: string;
  /** Where the console and the bot log; default stderr. */
  readonly log?: (line: string) => void;
  /** The deployment's language (the config's `language`); default en. */
  readonly language?: Language;
}

export interface ChatConsole {
  /** The page: `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The bot's HTTP receiver (signed requests go to `${botUrl}/slack/events`). */
  readonly botUrl: string;
  stop(): Promise<void>;
}

/**
 * The local chat console: the bundled world, the real bot in HTTP mode against
 * the fake Slack Web API, and a page that draws the fake's state as a Slack channel.
 */
export async function startChatConsole(options: ChatConsoleOptions): Promise<ChatConsole> {
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const world = await startConsoleWorld({
    autoLogin: options.autoLogin ?? false,
    language: options.language ?? 'en',
  });
  const secret = randomBytes(24).toString('hex');
  try {
    const api = world.slack.api;
    const bot = await startBot({
      config: world.config,
      redisUrl: options.redisUrl,
      role: 'all',
      port: 0,
      host: '127.0.0.1',
      slack: { botToken: api.botToken, signingSecret: secret, apiUrl: api.apiUrl, retries: 0 },
      log: createLogger({
        level: options.logLevel ?? 'warn',
        secrets: [secret, api.botToken],
        destination: { write: (line: string) => write(line.trimEnd()) },
      }),
      dispatcher: world.dispatcher,
    });
    const memory = new ConsoleMemory();
    const door = new BotDoor(bot.url, secret, api, memory);
    const aadOrigin = `https://${world.aad.host}`;
    const view = new ConsoleView(api, memory, (url) => (url.startsWith(aadOrigin) ? '/devicelogin' : url));
    const server = await startConsoleServer(
      { api, aad: world.aad, door, view, memory, log: write },
      options.port ?? 0,
    );
    return {
      url: `${server.url}/`,
      botUrl: bot.url,
      stop: async () => {
        await server.close();
        await bot.stop();
        await dropKeys(options.redisUrl, world.config.deployment);
        await world.stop();
      },
    };
  } catch (error) {
    await world.stop();
    throw error;
  }
}

/** The console's deployment prefix is its own: nothing of it stays in a shared Redis. */
async function dropKeys(url: string, deployment: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 3_000 });
  try {
    const keys = await redis.keys(`{${deployment}}*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // Best effort: a Redis that went away keeps nothing worth cleaning.
  } finally {
    redis.disconnect();
  }
}
