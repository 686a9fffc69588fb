import type { Logger } from '../observability/logger.ts';
import { type Redactor, redactDeep } from '../util/redact.ts';
import { onSlackHost } from './request-origin.ts';
import { type Answer, answerVia } from './respond.ts';

/**
 * The response_url Slack sent, when it is on Slack's host; otherwise (never from Slack itself)
 * an ephemeral in the channel. Either way through the config's redactor.
 */
export function answerTo(
  responseUrl: string | undefined,
  how: { timeoutMs: number; apiUrl: string | undefined; redact: Redactor; log: Logger },
  ephemeral: (text: string) => Promise<unknown>,
): Answer {
  if (responseUrl && !onSlackHost(responseUrl, how.apiUrl))
    how.log.warn(
      { host: hostOf(responseUrl) },
      "response_url not on Slack's host: answered by ephemeral instead",
    );
  const via =
    responseUrl && onSlackHost(responseUrl, how.apiUrl) ? answerVia(responseUrl, how.timeoutMs) : undefined;
  return async (answer) => {
    const text = how.redact(answer.text);
    if (via) {
      const blocks = answer.blocks ? redactDeep(answer.blocks, how.redact) : undefined;
      await via({ text, ...(blocks ? { blocks } : {}) });
    } else await ephemeral(text);
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unreadable';
  }
}
