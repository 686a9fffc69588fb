import { z } from 'zod';
import { DurationSchema } from '../config/duration.ts';
import { loadConfigFile } from '../config/load.ts';
import { startBot } from '../main/all.ts';
import type { BotTuning, Role } from '../main/bot-options.ts';
import { createLogger } from '../observability/logger.ts';
import { UsageError } from './exit-codes.ts';

const Duration = DurationSchema.optional();

/** The bot's process environment (docs/architecture.md#configuration), validated once at start-up. */
const ServeEnv = z
  .object({
    SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token (xoxb-…)'),
    SLACK_SIGNING_SECRET: z.string().min(8).optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-/, 'must be an app-level token (xapp-…)')
      .optional(),
    SLACK_API_URL: z.url().optional(),
    // Used when the config file has no `redis:` (one server, a Cluster or Sentinel); the file wins.
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    // /healthz and /metrics: their own listener, on the machine only unless OPS_HOST says otherwise.
    OPS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    OPS_HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    // Timings (e.g. 30s); the same in every process of a deployment. See BotTuning.
    PCV_JOB_LOCK: Duration,
    PCV_STALLED_INTERVAL: Duration,
    PCV_RUN_LEASE: Duration,
    PCV_QUEUED_LEASE: Duration,
    PCV_SHUTDOWN_GRACE: Duration,
    PCV_REAP_INTERVAL: Duration,
    PCV_CONCURRENCY: z.coerce.number().int().min(1).max(100).optional(),
    // Slack allows about 1 post per second per channel; more only against a stand-in.
    PCV_CHAT_POSTS_PER_SECOND: z.coerce.number().positive().max(1000).optional(),
    PCV_NOTIFIER_LEASE: Duration,
  })
  .refine((env) => env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET, {
    message: 'set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)',
  });
type ServeEnv = z.infer<typeof ServeEnv>;

const ROLES: readonly Role[] = ['web', 'worker', 'all'];

/**
 * `pc-verify serve [--role web|worker|all]`: the Slack bot until SIGTERM/SIGINT, then a clean
 * stop — no new work, running checks finish or are handed back to the queue, connections close.
 */
export async function serveCommand(
  args: { role: string; config?: string },
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  if (!(ROLES as readonly string[]).includes(args.role))
    throw new UsageError(`--role takes web, worker or all (got "${args.role}")`);
  const parsed = ServeEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new UsageError(`The bot's environment is not usable:\n${problems.join('\n')}`);
  }
  const vars = parsed.data;
  const config = await loadConfigFile(args.config, env);
  const secrets = [
    vars.SLACK_BOT_TOKEN,
    vars.SLACK_SIGNING_SECRET,
    vars.SLACK_APP_TOKEN,
    ...(config.secrets ?? []),
  ].filter((s): s is string => s !== undefined);
  const log = createLogger({ level: vars.LOG_LEVEL, secrets });
  const bot = await startBot({
    config,
    redisUrl: vars.REDIS_URL,
    role: args.role as Role,
    port: vars.PORT,
    host: vars.HOST,
    opsPort: vars.OPS_PORT,
    opsHost: vars.OPS_HOST,
    slack: {
      botToken: vars.SLACK_BOT_TOKEN,
      ...(vars.SLACK_SIGNING_SECRET ? { signingSecret: vars.SLACK_SIGNING_SECRET } : {}),
      ...(vars.SLACK_APP_TOKEN ? { appToken: vars.SLACK_APP_TOKEN } : {}),
      ...(vars.SLACK_API_URL ? { apiUrl: vars.SLACK_API_URL } : {}),
    },
    log,
    tuning: tuningOf(vars),
  });
  process.stdout.write(
    `pc-verify serve: listening on ${bot.url} (role ${args.role}); /healthz and /metrics on ${bot.opsUrl}\n`,
  );
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info({ signal }, 'signal received');
  await bot.stop();
  log.flush();
  // Everything is closed; should a library still hold a handle, do not hang the orchestrator's stop.
  setTimeout(() => process.exit(0), 3_000).unref();
  return 0;
}

function tuningOf(vars: ServeEnv): Partial<BotTuning> {
  const pairs: [keyof BotTuning, number | undefined][] = [
    ['lockDurationMs', vars.PCV_JOB_LOCK],
    ['stalledIntervalMs', vars.PCV_STALLED_INTERVAL],
    ['workingLeaseMs', vars.PCV_RUN_LEASE],
    ['queuedLeaseMs', vars.PCV_QUEUED_LEASE],
    ['shutdownGraceMs', vars.PCV_SHUTDOWN_GRACE],
    ['reapIntervalMs', vars.PCV_REAP_INTERVAL],
    ['concurrency', vars.PCV_CONCURRENCY],
    ['chatPostsPerSecond', vars.PCV_CHAT_POSTS_PER_SECOND],
    ['notifierLeaseMs', vars.PCV_NOTIFIER_LEASE],
  ];
  return Object.fromEntries(pairs.filter(([, v]) => v !== undefined));
}
