import type { Config } from '../config/config.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { Chat } from '../slack/chat.ts';
import type { AuditLog } from '../store/audit.ts';
import type { FlagRecordStore } from '../store/flag-record.ts';
import type { LoginDmStore } from '../store/login-dm.ts';
import type { ResultStore } from '../store/results.ts';
import type { RunStore } from '../store/run-store.ts';
import type { WatchStore } from '../store/watch.ts';

/** What both halves of the bot (Slack handlers and workers) share: the stores, Slack, logs, metrics. */
export interface BotServices {
  readonly config: Config;
  readonly runs: RunStore;
  readonly results: ResultStore;
  readonly audit: AuditLog;
  readonly flags: FlagRecordStore;
  readonly loginDms: LoginDmStore;
  /** What the day-2 watch last found per environment. */
  readonly watch: WatchStore;
  readonly chat: Chat;
  readonly log: Logger;
  readonly metrics: BotMetrics;
  readonly now: () => Date;
}

/** Lease lengths; every process of a deployment should use the same values. */
export interface LeaseSettings {
  /** A queued run's lease: how long it may wait for a worker. Default 10 min. */
  readonly queuedMs: number;
  /** A working run's lease, renewed at a quarter of it. Longer than a stalled job takes to be picked up again. */
  readonly workingMs: number;
}
