import type { Logger } from '../observability/logger.ts';
import { type Chat, type PostTag, slackCode } from './chat-port.ts';

/** Thrown before a post once the conversation's lease is no longer this notifier's. */
export class LeaseLost extends Error {
  readonly code = 'outbox_lease_lost';
  constructor(thread: string) {
    super(`outbox ${thread}: the conversation's lease is no longer this notifier's`);
    this.name = 'LeaseLost';
  }
}

/** The outbox entry being delivered, and when it was first attempted if it was before. */
export interface NoticeDelivery {
  readonly thread: string;
  readonly entry: string;
  /** Set on a retry or a take-over: a post of this entry may already be in Slack. */
  readonly attemptedAtMs?: number;
}

export interface NoticeGuard {
  /** Renews the conversation's lease; false once another notifier may have it. */
  stillOurs(): Promise<boolean>;
  readonly log: Logger;
}

/**
 * How far before the recorded attempt a look-up reaches back: the attempt time is the notifier's
 * clock, a message's ts is Slack's.
 */
const CLOCK_MARGIN_MS = 60_000;

/** Refusals that mean the look-up cannot see the conversation: post as before, at least once. */
const LOOKUP_BLIND = new Set(['missing_scope', 'thread_not_found']);

/**
 * The Slack client as one notice's delivery sees it (docs/architecture.md#the-outbox): each message it posts carries
 * its outbox entry and its part (the n-th post of the notice), and when the entry was attempted
 * before, each post first looks for that message in Slack and takes its ts instead of posting
 * again. A part names the same message on every attempt only while a notice posts the same
 * messages in the same order each time it is delivered: a post left out on a retry because of
 * something an earlier attempt stored would shift the parts after it (give such a post its own
 * notice instead).
 */
export function noticeChat(chat: Chat, delivery: NoticeDelivery, guard: NoticeGuard): Chat {
  let next = 0;
  return {
    ...chat,
    async post(channel, text, blocks, threadTs, options) {
      const tag: PostTag = { thread: delivery.thread, entry: delivery.entry, part: next++ };
      if (delivery.attemptedAtMs !== undefined) {
        const found = await lookUp(chat, guard.log, channel, tag, {
          ...(threadTs ? { threadTs } : {}),
          sinceMs: delivery.attemptedAtMs - CLOCK_MARGIN_MS,
        });
        if (found) return found;
      }
      // The loop renewed the lease before the notice; a later post, or one after a look-up,
      // renews it again, so that no post leaves once another notifier may be delivering this.
      if ((tag.part > 0 || delivery.attemptedAtMs !== undefined) && !(await guard.stillOurs()))
        throw new LeaseLost(delivery.thread);
      return chat.post(channel, text, blocks, threadTs, { ...options, tag });
    },
  };
}

async function lookUp(
  chat: Chat,
  log: Logger,
  channel: string,
  tag: PostTag,
  where: { threadTs?: string; sinceMs: number },
): Promise<string | undefined> {
  try {
    return await chat.findTagged(channel, tag, where);
  } catch (error) {
    const code = slackCode(error);
    if (code === undefined || !LOOKUP_BLIND.has(code)) throw error;
    log.warn(
      { channel, entry: tag.entry, err: error },
      'cannot look for an earlier post of this notice; posting it',
    );
    return undefined;
  }
}
