import type { Chat } from './chat.ts';

/** A link must not hold up an answer Slack waits for (3 s); past this, the channel is named instead. */
export const PERMALINK_DEADLINE_MS = 1_000;

/**
 * A link to a run's root message from Slack's own `chat.getPermalink` (hosts differ on GovSlack
 * and Enterprise Grid, so a hand-built URL can be wrong); when Slack does not answer in time, a
 * mention of the channel.
 */
export async function messageLink(
  chat: Pick<Chat, 'permalink'>,
  place: { channel: string; rootTs?: string } | undefined,
  label: string,
  deadlineMs = PERMALINK_DEADLINE_MS,
): Promise<string> {
  if (!place) return label;
  const fallback = `${label} in <#${place.channel}>`;
  if (!place.rootTs) return fallback;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deadlineMs);
    timer.unref();
  });
  const url = await Promise.race([chat.permalink(place.channel, place.rootTs).catch(() => undefined), late]);
  clearTimeout(timer);
  return url && /^https:\/\/[^\s<>|]+$/.test(url) ? `<${url}|${label}>` : fallback;
}
