import { z } from 'zod';

const RedisUrl = z.string().regex(/^rediss?:\/\/[^/]/, 'must be a redis:// or rediss:// URL');
const HostPort = z
  .string()
  .regex(/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):[0-9]{1,5}$/, 'must be host:port, e.g. 10.0.0.1:26379');
const Secret = z.string().min(1);

/**
 * Where the bot's state and queue live: one server (`url`), a Redis Cluster (`cluster`: seed
 * nodes; the rest are discovered) or a Sentinel-managed primary (`sentinel`). Absent: REDIS_URL.
 * Write credentials as `env:NAME`, never in the file.
 */
export const RedisSchema = z
  .strictObject({
    /** One Redis server, e.g. `env:REDIS_URL`. */
    url: RedisUrl.optional(),
    /** Some nodes of a Redis Cluster (`redis://host:port`; `rediss://` for TLS). */
    cluster: z.array(RedisUrl).min(1, 'must list at least one node').optional(),
    sentinel: z
      .strictObject({
        /** The primary's name in the Sentinel configuration (`sentinel monitor <name> …`). */
        name: z.string().min(1),
        sentinels: z.array(HostPort).min(1, 'must list at least one sentinel'),
      })
      .optional(),
    /** ACL user and password of the data nodes (all shapes; instead of credentials in a URL). */
    username: Secret.optional(),
    password: Secret.optional(),
    /** Password of the sentinels themselves, when they require one. */
    sentinelPassword: Secret.optional(),
  })
  .superRefine((redis, ctx) => {
    const shapes = (['url', 'cluster', 'sentinel'] as const).filter((k) => redis[k] !== undefined);
    if (shapes.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `set exactly one of url, cluster or sentinel (found ${shapes.length === 0 ? 'none' : shapes.join(' and ')})`,
      });
    if (redis.sentinelPassword !== undefined && redis.sentinel === undefined)
      ctx.addIssue({ code: 'custom', path: ['sentinelPassword'], message: 'only with sentinel' });
  });
export type RedisFile = z.infer<typeof RedisSchema>;

interface Credentials {
  readonly username?: string;
  readonly password?: string;
}

/** The Redis the bot connects to, as the client library needs it. */
export type RedisTarget =
  | ({ readonly kind: 'url'; readonly url: string } & Credentials)
  | ({ readonly kind: 'cluster'; readonly nodes: readonly string[] } & Credentials)
  | ({
      readonly kind: 'sentinel';
      readonly name: string;
      readonly sentinels: readonly { host: string; port: number }[];
      readonly sentinelPassword?: string;
    } & Credentials);

export function redisTargetOf(file: RedisFile): RedisTarget {
  const credentials: Credentials = {
    ...(file.username === undefined ? {} : { username: file.username }),
    ...(file.password === undefined ? {} : { password: file.password }),
  };
  if (file.cluster) return { kind: 'cluster', nodes: file.cluster, ...credentials };
  if (file.sentinel) {
    return {
      kind: 'sentinel',
      name: file.sentinel.name,
      sentinels: file.sentinel.sentinels.map(hostPort),
      ...credentials,
      ...(file.sentinelPassword === undefined ? {} : { sentinelPassword: file.sentinelPassword }),
    };
  }
  return { kind: 'url', url: file.url as string, ...credentials };
}

function hostPort(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(text.slice(at + 1)) };
}

/** Where the target is, for messages and logs: hosts and ports, never a password. */
export function describeRedis(target: RedisTarget): string {
  switch (target.kind) {
    case 'url':
      return `Redis at ${placeOf(target.url)}`;
    case 'cluster':
      return `Redis Cluster (nodes ${target.nodes.map(placeOf).join(', ')})`;
    case 'sentinel':
      return `Redis "${target.name}" via Sentinel (${target.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')})`;
  }
}

function placeOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(not a URL)';
  }
}
