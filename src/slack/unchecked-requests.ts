import { z } from 'zod';
import { failedReply } from '../commands/failed.ts';
import { parseSlashCommand } from '../commands/parse.ts';
import { type Translate, translator } from '../i18n/index.ts';
import type { UncheckedRequests } from './ack-first.ts';
import { onSlackHost } from './request-origin.ts';
import { answerVia } from './respond.ts';

/** The commands that only look: they may pass when the replay check cannot be made. */
const LOOK_UPS: ReadonlySet<string> = new Set(['status', 'plan', 'history', 'help', 'invalid']);

const Slash = z.object({ command: z.string(), text: z.string() });
const Event = z.object({ type: z.literal('event_callback') });
const WithResponseUrl = z.object({ response_url: z.string() });

/**
 * When Redis cannot say whether a signed request was seen before, a command or a click that
 * would change something is refused — a replay must never start, approve or cancel — and the
 * person is told on the request's response_url (when it is Slack's).
 */
export function uncheckedRequests(
  apiUrl: string | undefined,
  timeoutMs: number,
  counted: (command: string) => void = () => undefined,
  t: Translate = translator('en'),
): UncheckedRequests {
  return {
    changesNothing(body) {
      if (Event.safeParse(body).success) return true;
      const slash = Slash.safeParse(body);
      return slash.success && LOOK_UPS.has(parseSlashCommand(slash.data.text).kind);
    },
    async refuse(body, error) {
      const slashed = Slash.safeParse(body);
      counted(slashed.success ? parseSlashCommand(slashed.data.text).kind : 'click');
      const url = WithResponseUrl.safeParse(body);
      if (!url.success || !onSlackHost(url.data.response_url, apiUrl)) return;
      // A command gets its own answer for Redis being away (what it did not do, what to do).
      const slash = Slash.safeParse(body);
      const refusal = t('commands.replayUnchecked');
      const text = slash.success
        ? `${failedReply(t, parseSlashCommand(slash.data.text), error).text} ${refusal}`
        : refusal;
      await answerVia(url.data.response_url, timeoutMs)({ text });
    },
  };
}
