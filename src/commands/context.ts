import type { RunId, SlackUserId } from '../domain/ids.ts';
import type { JobData } from '../runs/queue.ts';
import type { BotServices, LeaseSettings } from '../runs/services.ts';
import type { Block } from '../slack/chat.ts';
import type { GroupDirectory } from '../slack/groups.ts';

/** Everything a slash subcommand may use; all I/O is here, so handlers are plain functions. */
export interface CommandDeps extends BotServices {
  readonly enqueue: (job: JobData) => Promise<void>;
  /** Removes a run's start job that no worker has taken yet. */
  readonly dropQueuedStart: (runId: RunId) => Promise<void>;
  /** Members of Slack user groups, cached briefly. */
  readonly groups: GroupDirectory;
  readonly lease: LeaseSettings;
  readonly newRunId: () => RunId;
  readonly newOffId: () => string;
}

/** Who typed the command, where. */
export interface Invocation {
  readonly userId: SlackUserId;
  readonly channelId: string;
  /** The workspace's domain (`acme` in acme.slack.com), for links to messages. */
  readonly teamDomain?: string;
  /** A late ephemeral answer through the command's response_url (valid 30 min). */
  readonly respond: (text: string) => Promise<void>;
}

/** What the person who typed the command sees (ephemeral), and work to do after the ack. */
export interface Reply {
  readonly text: string;
  readonly blocks?: readonly Block[];
  /** How the command ended, for metrics: accepted (work queued), refused, or answered (read-only). */
  readonly outcome: 'accepted' | 'refused' | 'answered';
  /** Runs after Slack got its ack: posting messages, enqueueing. Failures are reported via respond. */
  readonly after?: () => Promise<void>;
}
