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
function consequence(command: SlashCommand): string {
  switch (command.kind) {
    case 'start':
      return 'The run was not started.';
    case 'cancel':
      return `The run may not be cancelled: check \`/pc-verify status ${command.env}\` once pc-verify answers again.`;
    case 'off':
      return `The kill switch did NOT run (a run that was going may have been cancelled; \`/pc-verify status ${command.env}\` shows it once pc-verify answers again). If the flag must go OFF now, turn it OFF by hand (HUNTER_PARTNER_CENTER_ENABLED=false in the env file, restart api and worker), or try again in a minute.`;
    default:
      return '';
  }
}

/** The ephemeral answer to a command that threw: what happened, what it means, what to do. */
export function failedReply(command: SlashCommand, error: unknown): Reply {
  const unavailable = isRedisUnavailable(error);
  const what = unavailable
    ? 'pc-verify cannot reach its Redis (where it keeps runs, locks and results), so it could not do this.'
    : 'pc-verify hit an internal error handling this command; the bot log has the details.';
  const next = unavailable
    ? 'Try again in a minute; if it keeps failing, tell whoever runs pc-verify (its /healthz reports `redis: false`).'
    : 'Try again; if it keeps failing, tell whoever runs pc-verify.';
  return { text: [what, consequence(command), next].filter(Boolean).join(' '), outcome: 'refused' };
}
