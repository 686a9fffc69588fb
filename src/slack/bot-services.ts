import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import type { BotServices } from '../runs/services.ts';
import { AuditLog } from '../store/audit.ts';
import { FlagStateStore } from '../store/flag-state.ts';
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
export async function connectStores(url: string, mode: 'fail-fast' | 'patient'): Promise<Redis> {
  const redis =
    mode === 'fail-fast'
      ? new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
      : new Redis(url, { maxRetriesPerRequest: 5, lazyConnect: true });
  await redis.connect();
  return redis;
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
    flags: new FlagStateStore(redis, keys),
    loginDms: new LoginDmStore(redis, keys),
    chat: webClientChat(new WebClient(slack.botToken, webClientOptions(slack, log))),
    log,
    metrics,
    now: () => new Date(),
  };
}
