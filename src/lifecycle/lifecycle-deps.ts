import type { Config } from '../config/config.ts';
import type { RunId } from '../domain/ids.ts';
import type { Directory } from '../gates/directory.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { RunNotifier } from '../outbox/run-notices.ts';
import type { AuditLog } from '../store/audit.ts';
import type { BreakGlassStore } from '../store/break-glass.ts';
import type { FlagRecordStore } from '../store/flag-record.ts';
import type { LoginDmStore } from '../store/login-dm.ts';
import type { ResultStore } from '../store/results.ts';
import type { RunStore } from '../store/run-store.ts';
import type { StagedSignInStore } from '../store/staged-sign-in.ts';
import type { WatchStore } from '../store/watch.ts';
import type { JobData } from './run-queue.ts';

/** What both halves of the bot (chat handlers and workers) share: the stores, the notifier, logs, metrics. */
export interface BotServices {
  readonly config: Config;
  readonly runs: RunStore;
  readonly results: ResultStore;
  readonly audit: AuditLog;
  readonly flags: FlagRecordStore;
  readonly loginDms: LoginDmStore;
  /** Terminal changes made without the approval gate, until an approver reviewed them. */
  readonly breakGlass: BreakGlassStore;
  /** Which run's sign-in waits in `.token_cache.pending`, until it is promoted or removed. */
  readonly stagedSignIns: StagedSignInStore;
  /** Events out: the chat adapter delivers them, later (docs/architecture.md#the-outbox). */
  readonly notifier: RunNotifier;
  /** Members of user groups, cached briefly. */
  readonly groups: Directory;
  /** What the day-2 watch last found per environment. */
  readonly watch: WatchStore;
  readonly log: Logger;
  readonly metrics: BotMetrics;
  readonly now: () => Date;
}

/** What a person's action on a run (a decision, a cancel) needs beyond the shared services. */
export interface LifecycleDeps extends BotServices {
  readonly enqueue: (job: JobData) => Promise<void>;
  /** Removes a run's start job that no worker has taken yet. */
  readonly dropQueuedStart: (runId: RunId) => Promise<void>;
  readonly lease: LeaseSettings;
}

/** The answer to a click: accepted, or refused with what to do next. */
export type ButtonAnswer = { readonly accepted: true } | { readonly accepted: false; readonly why: string };

/** Lease lengths; every process of a deployment should use the same values. */
export interface LeaseSettings {
  /** A queued run's lease: how long it may wait for a worker. Default 10 min. */
  readonly queuedMs: number;
  /** A working run's lease, renewed at a quarter of it. Longer than a stalled job takes to be picked up again. */
  readonly workingMs: number;
}
