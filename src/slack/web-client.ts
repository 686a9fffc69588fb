import type { WebClientOptions } from '@slack/web-api';
import { boltLogger } from '../observability/bolt-logger.ts';
import type { Logger } from '../observability/logger.ts';

export interface WebClientSettings {
  /** Web API base URL, e.g. `https://slack.com/api/` (default) or a GovSlack/test URL. */
  readonly apiUrl?: string;
  /**
   * Retries of a failed call (HTTP 5xx, network, 429 with Retry-After). Default 3: a message
   * delayed by a few seconds beats a lost one; never the WebClient's default of ~30 min.
   */
  readonly retries?: number;
  /** Deadline of one HTTP request; default 10 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The same options for Bolt's client and the worker's, so both reach the same Slack the same way. */
export function webClientOptions(settings: WebClientSettings, log: Logger): WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryConfig: { retries: settings.retries ?? 3, factor: 2, maxTimeout: 5_000 },
    logger: boltLogger(log),
  };
}
