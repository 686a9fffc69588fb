import { WebClient } from '@slack/web-api';
import type { Config } from '../config/config.ts';
import type { RedisTarget } from '../config/redis.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotMetrics } from '../observability/metrics.ts';
import { DEFAULT_LEASE_MS } from '../outbox/drain-loop.ts';
import { outboxNotifier } from '../outbox/outbox-notifier.ts';
import { type Chat, webClientChat } from '../slack/chat.ts';
import { cachedGroupDirectory } from '../slack/groups.ts';
import { wordsOf } from '../slack/language.ts';
import { handOffInDm } from '../slack/login-handoff.ts';
import { redactingChat } from '../slack/redacting-chat.ts';
import type { SlackServices } from '../slack/slack-deps.ts';
import { DEFAULT_TIMEOUT_MS, type WebClientSettings, webClientOptions } from '../slack/web-client.ts';
import { AuditLog } from '../store/audit.ts';
import { BreakGlassStore } from '../store/break-glass.ts';
import { openRedis, type RedisConnection } from '../store/connection.ts';
import { FlagRecordStore } from '../store/flag-record.ts';
import { keysFor } from '../store/keys.ts';
import { LoginDmStore } from '../store/login-dm.ts';
import { OutboxStore } from '../store/outbox.ts';
import { ResultStore } from '../store/results.ts';
import { RunStore } from '../store/run-store.ts';
import { StagedSignInStore } from '../store/staged-sign-in.ts';
import { WatchStore } from '../store/watch.ts';
import { createRedactor } from '../util/redact.ts';

/**
 * Slack handlers must answer within 3 s, so their stores fail fast while Redis is away; a
 * worker's stores wait for a reconnect instead (a run should survive a Redis blip).
 */
export async function connectStores(
  target: RedisTarget,
  mode: 'fail-fast' | 'patient',
  log: Logger,
): Promise<RedisConnection> {
  const redis =
    mode === 'fail-fast'
      ? openRedis(target, {
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
      : openRedis(target, { maxRetriesPerRequest: 5, lazyConnect: true });
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
export function reportOutages(redis: RedisConnection, log: Logger, usedBy: string): (error: unknown) => void {
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
  redis: RedisConnection,
  slack: { botToken: string } & WebClientSettings,
  log: Logger,
  metrics: BotMetrics,
  now: () => Date = () => new Date(),
): SlackServices {
  const keys = keysFor(config.deployment);
  // The run records are stamped on the lifecycle's clock, the one the reaper compares them with.
  const runs = new RunStore(redis, keys, now);
  const chat = redactingChat(
    webClientChat(new WebClient(slack.botToken, webClientOptions(slack, log))),
    createRedactor(config.secrets ?? []),
  );
  const groups = cachedGroupDirectory((group) => chat.groupMembers(group), {
    now: () => now().getTime(),
  });
  const outbox = new OutboxStore(redis, keys);
  return {
    config,
    runs,
    results: new ResultStore(redis, keys),
    audit: new AuditLog(redis, keys, { now, ...(config.audit ? { retainMs: config.audit.retainMs } : {}) }),
    flags: new FlagRecordStore(redis, keys),
    loginDms: new LoginDmStore(redis, keys),
    breakGlass: new BreakGlassStore(redis, keys),
    stagedSignIns: new StagedSignInStore(redis, keys),
    chat,
    groups,
    outbox,
    notifier: outboxNotifier(outbox, (login, remember) =>
      handOffInDm(wordsOf(config), chat, login, remember),
    ),
    watch: new WatchStore(redis, keys),
    log,
    metrics,
    now,
  };
}

/**
 * The notifier's own client: a rate-limited call comes back at once with its Retry-After (the
 * loop then waits on that channel only) instead of pausing the client's whole queue, and a
 * failed call is retried by the loop, in order, not by the client. A call gives up within a
 * third of the notifier's lease (`leaseMs`): the lease is renewed right before each post, so a
 * post still under way cannot outlast it and meet the notifier that takes the conversation over.
 */
export function notifierChat(
  slack: { botToken: string } & WebClientSettings,
  log: Logger,
  leaseMs = DEFAULT_LEASE_MS,
): Chat {
  const timeoutMs = Math.max(1, Math.min(slack.timeoutMs ?? DEFAULT_TIMEOUT_MS, Math.floor(leaseMs / 3)));
  const options = webClientOptions({ ...slack, retries: 0, timeoutMs }, log);
  return webClientChat(new WebClient(slack.botToken, { ...options, rejectRateLimitedCalls: true }));
}
