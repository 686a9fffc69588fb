import type { Config } from '../config/config.ts';
import type { RunId, SlackUserId } from '../domain/ids.ts';
import type { JobData } from '../runs/queue.ts';
import type { AuditLog } from '../store/audit.ts';
import type { ResultStore } from '../store/results.ts';
import type { RunStore } from '../store/run-store.ts';

/** Everything a slash subcommand may use; all I/O is here, so handlers are plain functions. */
export interface CommandDeps {
  readonly config: Config;
  readonly runs: RunStore;
  readonly results: ResultStore;
  readonly audit: AuditLog;
  readonly enqueue: (job: JobData) => Promise<void>;
  /** Members of a Slack user group (cached briefly). */
  readonly groupMembers: (group: string) => Promise<readonly string[]>;
  readonly now: () => Date;
  readonly newRunId: () => RunId;
  readonly leaseMs: number;
}

export interface Invocation {
  readonly userId: SlackUserId;
  readonly channelId: string;
}

/** What the person who typed the command sees (ephemeral). */
export interface Reply {
  readonly text: string;
}
