import type { RunId, SlackUserId } from '../domain/ids.ts';
import type { RunState, SlackPlace } from '../domain/run.ts';
import type { WatchState } from '../domain/watch.ts';
import type { LifecycleDeps } from '../lifecycle/lifecycle-deps.ts';
import type { FlagRecord } from '../store/flag-record.ts';

/** A chat layout block; the adapter knows its shape. */
export type Block = Readonly<Record<string, unknown>>;

/**
 * How an answer looks in the chat the command came from: the adapter supplies these, so the
 * commands decide what to say and never which chat says it.
 */
export interface CommandWords {
  /** A timestamp the reader sees in their own time zone. */
  date(iso: string): string;
  state(state: RunState): string;
  /** A link to a run's root message (the chat's own permalink), or the label alone when there is none. */
  link(place: SlackPlace | undefined, label: string): Promise<string>;
  flag(record: FlagRecord | undefined, env: string): string;
  /** The day-2 watch's last finding, or why there is none. */
  watch(state: WatchState | undefined, watch: { interval: number } | false, env: string): string;
  /** Escapes text from outside (a reason, an error) so it cannot format or mention. */
  escape(text: string): string;
  /** Text someone outside wrote (a command's message, a log line), shown as quoted output. */
  quote(text: string): string;
}

/** Everything a slash subcommand may use; all I/O is here, so handlers are plain functions. */
export interface CommandDeps extends LifecycleDeps {
  readonly newRunId: () => RunId;
  readonly newOffId: () => string;
  readonly words: CommandWords;
}

/** Who typed the command, where. */
export interface Invocation {
  readonly userId: SlackUserId;
  readonly channelId: string;
  /** The workspace's domain (`acme` in acme.slack.com), for links to messages. */
  readonly teamDomain?: string;
  /** A late ephemeral answer through the command's response_url (valid 30 min). */
  readonly respond: (text: string) => Promise<void>;
  /** Opens the change-ticket dialog (the command's trigger_id, 3 s); false when it could not open. */
  readonly askTicket?: (env: string, pattern: string | undefined) => Promise<boolean>;
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
