import { Cluster, Redis } from 'ioredis';
import type { RedisTarget } from '../config/redis.ts';

/** A connection the stores and the queue use alike: one server (or Sentinel's primary) or a Cluster. */
export type RedisConnection = Redis | Cluster;

/** How one connection behaves when Redis is slow or away; each user picks its own (see callers). */
export interface ConnectionSettings {
  readonly maxRetriesPerRequest?: number | null;
  readonly enableOfflineQueue?: boolean;
  readonly commandTimeout?: number;
  readonly connectTimeout?: number;
  readonly lazyConnect?: boolean;
  /** Commands started in the same turn leave in one write (a web process's burst of acks). */
  readonly enableAutoPipelining?: boolean;
  /** `null` stops reconnecting; for a Cluster it governs reconnecting to the cluster as a whole. */
  readonly retryStrategy?: (times: number) => number | null;
}

/**
 * Opens a connection to the target. Every key the bot uses carries the deployment's hash tag,
 * so on a Cluster all of them (BullMQ's too) sit in one slot and multi-key scripts stay atomic.
 */
export function openRedis(target: RedisTarget, settings: ConnectionSettings = {}): RedisConnection {
  const credentials = {
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
  };
  switch (target.kind) {
    case 'url':
      return new Redis(target.url, { ...settings, ...credentials });
    case 'sentinel':
      return new Redis({
        ...settings,
        ...credentials,
        name: target.name,
        sentinels: target.sentinels.map((s) => ({ ...s })),
        ...(target.sentinelPassword === undefined ? {} : { sentinelPassword: target.sentinelPassword }),
      });
    case 'cluster':
      return openCluster(target.nodes, settings, credentials);
  }
}

function openCluster(
  nodes: readonly string[],
  settings: ConnectionSettings,
  credentials: { username?: string; password?: string },
): Cluster {
  const { enableOfflineQueue, lazyConnect, retryStrategy, enableAutoPipelining, ...perNode } = settings;
  const tls = nodes.some((n) => n.startsWith('rediss://'));
  return new Cluster([...nodes], {
    // Per node: BullMQ reads maxRetriesPerRequest here, and each command's timeout applies per node.
    redisOptions: { ...perNode, ...credentials, ...(tls ? { tls: {} } : {}) },
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
  });
}
