import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { BotServices } from '../runs/services.ts';
import { AuditLog } from '../store/audit.ts';
import { FlagRecordStore } from '../store/flag-record.ts';
import { keysFor } from '../store/keys.ts';
import { LoginDmStore } from '../store/login-dm.ts';
import { ResultStore } from '../store/results.ts';
import { RunStore } from '../store/run-store.ts';
import { webClientChat } from './chat.ts';
import { type WebClientSettings, webClientOptions } from './web-client.ts';

/**
 * Slack handlers must answer within 3 s, so their stores fail fast while Redis is away; a
 * worker's stores wait for a reconnect instead (a run should survive a Redis blip).
 */
export async function connectStores(url: string, mode: 'fail-fast' | 'patient', log: Logger): Promise<Redis> {
  const redis =
    mode === 'fail-fast'
      ? new Redis(url, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          // A Redis that accepts the connection but does not answer (a frozen server, a network
          // partition) must not hold an ack past Slack's 3 s: each call gives up after this long.
          commandTimeout: FAIL_FAST_COMMAND_MS,
          // The commands of the work started in one turn (see WorkLane) leave in one write: a
          // syscall per command was the largest single cost of a burst.
          enableAutoPipelining: true,
          lazyConnect: true,
        })
      : new Redis(url, { maxRetriesPerRequest: 5, lazyConnect: true });
  reportOutages(redis, log, mode === 'fail-fast' ? 'slack handlers' : 'workers');
  await redis.connect();
  return redis;
}

/** How long one Redis call of a Slack handler may take (a start makes about three in a row). */
export const FAIL_FAST_COMMAND_MS = 1_000;

/**
 * Logs a lost Redis connection once, and its return once, instead of one line per reconnect
 * attempt (ioredis retries every 2 s at most, for as long as Redis is away). Without an
 * `error` listener ioredis prints every attempt to stderr, outside the structured log.
 */
export function reportOutages(redis: Redis, log: Logger, usedBy: string): (error: unknown) => void {
  let lost = false;
  const report = (error: unknown) => {
    if (lost) return;
    lost = true;
    log.warn(
      { redis: usedBy, err: error },
      'Redis connection lost: commands that need it fail (Slack handlers) or wait (workers) until it is back; reconnecting',
    );
  };
  redis.on('error', report);
  // A server that closes the connection cleanly (a restart) raises no error until a reconnect
  // fails, which a quick restart may never do: the reconnect itself says the connection was lost.
  redis.on('reconnecting', () => report(new Error('the connection closed; reconnecting')));
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info({ redis: usedBy }, 'Redis connection back');
  });
  return report;
}

export function botServices(
  config: Config,
  redis: Redis,
  slack: { botToken: string } & WebClientSettings,
  log: Logger,
  metrics: BotMetrics,
): BotServices {
  const keys = keysFor(config.deployment);
  return {
    config,
    runs: new RunStore(redis, keys),
    results: new ResultStore(redis, keys),
    audit: new AuditLog(redis, keys),
    flags: new FlagRecordStore(redis, keys),
    loginDms: new LoginDmStore(redis, keys),
    chat: webClientChat(new WebClient(slack.botToken, webClientOptions(slack, log))),
    log,
    metrics,
    now: () => new Date(),
  };
}
