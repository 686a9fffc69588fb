import type { Dispatcher } from 'undici';
import type { Login } from '../auth/login.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { WebClientSettings } from '../slack/web-client.ts';

export type Role = 'web' | 'worker' | 'all';

/** Timings; every process of a deployment should use the same values. Defaults in brackets. */
export interface BotTuning {
  /** How long a queued run may wait for a worker [10 min]. */
  readonly queuedLeaseMs: number;
  /** A working run's lease, renewed at a quarter of it; longer than a stalled job takes to be picked up [2 min]. */
  readonly workingLeaseMs: number;
  /** How often a working run looks for a cancel [250 ms]. */
  readonly cancelPollMs: number;
  /** Runs per worker process [4]. */
  readonly concurrency: number;
  /** BullMQ job lock: how fast a dead worker's job is taken over [30 s]. */
  readonly lockDurationMs: number;
  /** BullMQ stalled-job check interval [30 s]. */
  readonly stalledIntervalMs: number;
  /** Time a running check gets to finish at shutdown before its run is handed back [20 s]. */
  readonly shutdownGraceMs: number;
  /** How often a worker looks for runs nobody runs any more [15 s]. */
  readonly reapIntervalMs: number;
  /** Messages the notifier posts per second per channel, after a burst of 3 [1: Slack's limit]. */
  readonly chatPostsPerSecond: number;
  /** How long a notifier keeps a conversation after its last look; a killed one's go after this [15 s]. */
  readonly notifierLeaseMs: number;
  /** How often the configured user groups are read again ahead of need; 0: only when asked [30 s]. */
  readonly groupRefreshMs: number;
  /** Run the day-2 watch's probes in this process (worker roles) [true]. */
  readonly watch: boolean;
}

export const DEFAULT_TUNING: BotTuning = {
  queuedLeaseMs: 10 * 60_000,
  workingLeaseMs: 2 * 60_000,
  cancelPollMs: 250,
  concurrency: 4,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  shutdownGraceMs: 20_000,
  reapIntervalMs: 15_000,
  chatPostsPerSecond: 1,
  notifierLeaseMs: 15_000,
  groupRefreshMs: 30_000,
  watch: true,
};

export interface BotOptions {
  readonly config: Config;
  /** The Redis when the config names none (`redis:` in the file wins): REDIS_URL. */
  readonly redisUrl: string;
  readonly role: Role;
  readonly slack: { botToken: string; signingSecret?: string; appToken?: string } & WebClientSettings;
  /** HTTP port of Slack's requests (HTTP mode). 0 picks a free one. */
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /**
   * /healthz and /metrics, on a listener of their own: they list environments and pending
   * approvals, which the port Slack reaches must not. Default 0 (a free port).
   */
  readonly opsPort?: number;
  /** Default 127.0.0.1: the ops endpoints are for the machine's own scraper unless said otherwise. */
  readonly opsHost?: string;
  readonly log: Logger;
  readonly tuning?: Partial<BotTuning>;
  readonly login?: Login;
  /** Extra TLS trust for Azure AD and Hunter (a private CA); verification stays on. */
  readonly dispatcher?: Dispatcher;
  /**
   * The lifecycle's clock: approval expiry, audit and record times [the system clock]. Tests
   * move it forward instead of waiting; Redis leases still run on real time as a backstop.
   */
  readonly now?: () => Date;
}

export interface RunningBot {
  /** `http://host:port` of Slack's HTTP receiver; in Socket Mode and for a worker, the ops listener's. */
  readonly url: string;
  /** `http://host:port` of /healthz and /metrics. */
  readonly opsUrl: string;
  readonly metrics: BotMetrics;
  /** SIGTERM: no new commands or jobs, running checks finish or are handed back, connections close. */
  stop(): Promise<void>;
}
