import { chooseRedis } from './redis.ts';
import { startChatConsole } from './start.ts';

export type { ChatConsole, ChatConsoleOptions } from './start.ts';
export { startChatConsole } from './start.ts';

/**
 * `pc-verify demo --chat`: the console until Ctrl-C. Exit 2 when there is no Redis to use,
 * with one line saying how to get one.
 */
import { parseLanguage } from '../../src/cli/language-option.ts';

export async function chatConsoleCommand(
  options: { autoLogin?: boolean; port?: number; language?: string },
  io: { out(text: string): void; err(text: string): void },
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const redis = await chooseRedis(env);
  if (redis.kind === 'missing') {
    io.err(redis.message);
    return 2;
  }
  try {
    io.err(
      `Starting the chat console: Redis (${redis.source === 'private' ? `private, ${redis.url}` : 'REDIS_URL'}), PostgreSQL, Azure AD, two Hunter deployments (staging, prod) and the bot…`,
    );
    const chat = await startChatConsole({
      redisUrl: redis.url,
      ...(options.autoLogin ? { autoLogin: true } : {}),
      ...(options.port === undefined ? {} : { port: options.port }),
      language: parseLanguage(options.language),
    });
    io.out(`pc-verify chat console: ${chat.url}`);
    io.err(
      'A local simulation of a Slack channel (not Slack). Type /pc-verify staging there. Ctrl-C stops everything.',
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    io.err('Stopping…');
    await chat.stop();
    return 0;
  } finally {
    await redis.stop();
  }
}
