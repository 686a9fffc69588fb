import type { EnvName } from '../domain/ids.ts';
import type { WatchCause } from '../domain/watch.ts';

/** A change of an environment's watch state, to be said once where people look. */
export interface WatchChange {
  readonly env: EnvName;
  readonly to: 'healthy' | 'failing';
  readonly cause?: WatchCause;
  /** The state key posted before (`healthy`, `failing:token`, …), if any. */
  readonly from?: string;
  readonly at: string;
}

/**
 * Where the watch tells people (docs/architecture.md#the-day-2-watch: the thread of the environment's last run, broadcast
 * to its channel). A port: the Slack adapter implements it, and it can move onto the run
 * notifier's outbox later. False: there was nowhere to post (no run posted in Slack yet).
 */
export interface WatchAnnouncer {
  announce(change: WatchChange): Promise<boolean>;
}
