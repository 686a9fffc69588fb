import type { Translate } from '../i18n/index.ts';
import type { Reply } from './context.ts';
import type { SlashCommand } from './parse.ts';

/**
 * ioredis' words when a command could not be sent or got no answer in time (it has no error
 * classes for these): the web process's Redis is down, unreachable or not answering.
 */
const REDIS_UNAVAILABLE = [
  /Stream isn't writeable/,
  /Command timed out/,
  /Connection is closed/,
  /max retries per request/i,
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)\b/,
];

export function isRedisUnavailable(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return REDIS_UNAVAILABLE.some((pattern) => pattern.test(message));
}

/** What was and was not done when the command failed half-way. */
function consequence(t: Translate, command: SlashCommand): string {
  switch (command.kind) {
    case 'start':
      return t('commands.failed.notStarted');
    case 'cancel':
      return t('commands.failed.cancel', { env: command.env });
    case 'off':
      return t('commands.failed.off', { env: command.env });
    default:
      return '';
  }
}

/** The ephemeral answer to a command that threw: what happened, what it means, what to do. */
export function failedReply(t: Translate, command: SlashCommand, error: unknown): Reply {
  const unavailable = isRedisUnavailable(error);
  const what = unavailable ? t('commands.failed.noRedis') : t('commands.failed.internal');
  const next = unavailable ? t('commands.failed.nextRedis') : t('commands.failed.next');
  return { text: [what, consequence(t, command), next].filter(Boolean).join(' '), outcome: 'refused' };
}
