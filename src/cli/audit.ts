import { redisTargetFor } from '../config/config.ts';
import { loadConfigFile } from '../config/load.ts';
import { describeRedis } from '../config/redis.ts';
import { selectEnvironment } from '../config/select.ts';
import { AuditLog } from '../store/audit.ts';
import { openRedis } from '../store/connection.ts';
import { keysFor } from '../store/keys.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import type { Io } from './run.ts';

/** Long enough for a Redis across a WAN; short enough that a CI step does not hang on a dead one. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * `pc-verify audit verify <env>`: walks the hash chain of the environment's audit stream.
 * Exit 0 intact, 1 broken; 2 when it could not be checked (usage, or Redis unreachable): a
 * pipeline must never read "Redis is down" as "someone edited the audit trail".
 */
export async function auditVerifyCommand(
  args: { env: string; config?: string },
  io: Io,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const config = await loadConfigFile(args.config, env);
  const found = selectEnvironment(config, args.env);
  if (!found.ok) throw new UsageError(found.message);
  const target = redisTargetFor(config, env);
  const redis = openRedis(target, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // One attempt: a person or a pipeline is waiting for an answer, not for a reconnect loop.
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints each connection error with its stack to stderr.
  let lastError: unknown;
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await redis.connect();
    const result = await new AuditLog(redis, keysFor(config.deployment)).verify(found.env.name);
    if (result.ok) {
      const trimmed = result.trimmedThrough
        ? ` (entries through ${result.trimmedThrough} were trimmed by age, as audit.retain says; the chain is checked from the trim's checkpoint)`
        : '';
      io.out(`audit ${found.env.name}: ${result.entries} entries, chain intact${trimmed}`);
      return EXIT.pass;
    }
    io.out(
      `audit ${found.env.name}: BROKEN at ${result.brokenAt}: ${result.problem} (${result.entries} entries)`,
    );
    return EXIT.fail;
  } catch (error) {
    io.err(notChecked(found.env.name, describeRedis(target), lastError ?? error));
    return EXIT.usage;
  } finally {
    redis.disconnect();
  }
}

function notChecked(env: string, place: string, error: unknown): string {
  const why = reasonOf(error);
  return (
    `audit ${env}: NOT CHECKED: ${place} did not answer (${why}); ` +
    'expected the Redis the bot uses (`redis` in the config, else REDIS_URL); start it or point the config or REDIS_URL at it, then run this again'
  );
}

/** The error's message; for a Cluster that reached no node, what the last node said. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const last = (error as Error & { lastNodeError?: unknown }).lastNodeError;
  return last instanceof Error ? `${error.message.replace(/\.$/, '')}: ${last.message}` : error.message;
}
