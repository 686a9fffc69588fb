import { Redis } from 'ioredis';
import { loadConfigFile } from '../config/load.ts';
import { selectEnvironment } from '../config/select.ts';
import { AuditLog } from '../store/audit.ts';
import { keysFor } from '../store/keys.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import type { Io } from './run.ts';

/** `pc-verify audit verify <env>`: walks the hash chain of the environment's audit stream. */
export async function auditVerifyCommand(args: { env: string; config?: string }, io: Io): Promise<number> {
  const config = await loadConfigFile(args.config);
  const found = selectEnvironment(config, args.env);
  if (!found.ok) throw new UsageError(found.message);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 2,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    const result = await new AuditLog(redis, keysFor(config.deployment)).verify(found.env.name);
    if (result.ok) {
      const trimmed = result.trimmedBefore
        ? ' (older entries were trimmed; the chain is checked from the oldest kept)'
        : '';
      io.out(`audit ${found.env.name}: ${result.entries} entries, chain intact${trimmed}`);
      return EXIT.pass;
    }
    io.out(
      `audit ${found.env.name}: BROKEN at ${result.brokenAt}: ${result.problem} (${result.entries} entries)`,
    );
    return EXIT.fail;
  } finally {
    redis.disconnect();
  }
}
