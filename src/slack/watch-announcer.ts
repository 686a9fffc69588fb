import type { Config } from '../config/config.ts';
import type { EnvName, RunId } from '../domain/ids.ts';
import type { SlackPlace } from '../domain/run.ts';
import type { Logger } from '../observability/logger.ts';
import type { WatchAnnouncer } from '../watch/announcer.ts';
import type { Chat } from './chat.ts';
import { wordsOf } from './language.ts';
import { watchChangeText } from './views/watch.ts';

export interface AnnouncerDeps {
  readonly chat: Chat;
  readonly runs: {
    currentRunId(env: EnvName): Promise<RunId | undefined>;
    get(id: RunId): Promise<{ readonly slack?: SlackPlace } | undefined>;
  };
  readonly log: Logger;
  readonly config: Pick<Config, 'language'>;
}

/**
 * The watch's changes go where the environment's last run was discussed: a reply in its
 * thread, broadcast to the channel so people who do not follow the thread see it too.
 */
export function slackWatchAnnouncer(deps: AnnouncerDeps): WatchAnnouncer {
  return {
    async announce(change) {
      const id = await deps.runs.currentRunId(change.env);
      const place = id ? (await deps.runs.get(id))?.slack : undefined;
      if (!place?.rootTs) return false;
      await deps.chat.post(
        place.channel,
        watchChangeText(wordsOf(deps.config), change),
        undefined,
        place.rootTs,
        {
          broadcast: true,
        },
      );
      deps.log.info({ env: change.env, to: change.to, cause: change.cause?.kind }, 'watch change posted');
      return true;
    },
  };
}
