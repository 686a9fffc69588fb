import { type Redactor, redactDeep } from '../util/redact.ts';
import type { Block, Chat } from './chat.ts';

/**
 * Every text and block the bot sends to Slack passes the redactor of the config's secrets (its
 * `env:` values and URL passwords): a message built from a failing command or an error cannot
 * carry one into a channel, whoever built it.
 */
export function redactingChat(chat: Chat, redact: Redactor): Chat {
  const blocksOf = (blocks: readonly Block[] | undefined) =>
    blocks === undefined ? undefined : redactDeep(blocks, redact);
  return {
    ...chat,
    post: (channel, text, blocks, threadTs, options) =>
      chat.post(channel, redact(text), blocksOf(blocks), threadTs, options),
    update: (channel, ts, text, blocks) => chat.update(channel, ts, redact(text), blocksOf(blocks)),
    ephemeral: (channel, user, text, threadTs) => chat.ephemeral(channel, user, redact(text), threadTs),
    publishHome: (user, blocks) => chat.publishHome(user, blocksOf(blocks) ?? []),
  };
}
