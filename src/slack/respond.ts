import type { Block } from './chat.ts';

/** An answer after the ack, shown only to the person who typed the command or clicked. */
export interface EphemeralAnswer {
  readonly text: string;
  readonly blocks?: readonly Block[];
}

export type Answer = (answer: EphemeralAnswer) => Promise<void>;

/**
 * Slack's response_url (from the signed request) answers for 30 minutes; the deadline keeps a
 * Slack that accepts the connection but never answers from holding the handler.
 */
export function answerVia(
  responseUrl: string,
  timeoutMs: number,
  fetchFn: typeof fetch = globalThis.fetch,
): Answer {
  return async (answer) => {
    const res = await fetchFn(responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        response_type: 'ephemeral',
        text: answer.text,
        ...(answer.blocks ? { blocks: answer.blocks } : {}),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is small; reading it lets the connection be reused.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`Slack refused the answer on the response_url: HTTP ${res.status}`);
  };
}
