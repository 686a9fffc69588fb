import { request } from 'undici';
import type { Block } from './chat.ts';

/** An answer after the ack, shown only to the person who typed the command or clicked. */
export interface EphemeralAnswer {
  readonly text: string;
  readonly blocks?: readonly Block[];
}

export type Answer = (answer: EphemeralAnswer) => Promise<void>;

/**
 * Slack's response_url (from the signed request) answers for 30 minutes; the deadline keeps a
 * Slack that accepts the connection but never answers from holding the handler. undici's
 * `request` rather than `fetch`: the same client at a fraction of the CPU per call, which the
 * acks of other commands share.
 */
export function answerVia(responseUrl: string, timeoutMs: number): Answer {
  return async (answer) => {
    const res = await request(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response_type: 'ephemeral',
        text: answer.text,
        ...(answer.blocks ? { blocks: answer.blocks } : {}),
      }),
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    // Read to the end so the connection is reused.
    await res.body.dump();
    if (res.statusCode >= 300)
      throw new Error(`Slack refused the answer on the response_url: HTTP ${res.statusCode}`);
  };
}
