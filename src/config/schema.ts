import { z } from 'zod';
import { EnvNameSchema, SlackChannelIdSchema, SlackGroupIdSchema, SlackUserIdSchema } from '../domain/ids.ts';
import { LANGUAGES } from '../i18n/index.ts';
import { DurationSchema } from './duration.ts';
import { DEFAULT_EXPECT } from './expect.ts';
import { approvalsCoverGroups, TicketSchema } from './policy-schema.ts';
import { RedisSchema } from './redis.ts';
import { ChangeWindowSchema, FreezeSchema } from './windows.ts';

/** An absolute path without `..` segments: config values never walk out of where they point. */
const AbsolutePath = z
  .string()
  .refine((p) => p.startsWith('/'), 'must be an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." segments');

/** A path inside the project directory: relative, or absolute; never with `..`. */
const ProjectPath = z
  .string()
  .min(1)
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." segments');

/** One argv item: no NUL bytes (they cannot cross exec anyway). */
const ArgvItem = z
  .string()
  .min(1)
  .refine((s) => !s.includes('\0'), 'must not contain NUL');
const Argv = z.array(ArgvItem).min(1, 'must name at least the program to run');

const ServiceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must be a compose service name');

export const TierSchema = z.enum(['dev', 'staging', 'prod']);
export type Tier = z.infer<typeof TierSchema>;

const ApiSchema = z.strictObject({
  /** Hunter's HTTP base URL, e.g. http://localhost:8000. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  /** Deadline of one HTTP request. Default 10s. */
  requestTimeout: DurationSchema.default(10_000),
  /** How long to wait for /healthz after the flag was applied. Default 2m. */
  readyTimeout: DurationSchema.default(120_000),
});

const DatabaseSchema = z.strictObject({
  /** PostgreSQL URL of Hunter's database; write `env:NAME` so the password stays out of the file. */
  url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** Connect and statement timeout. Default 5s. */
  timeout: DurationSchema.default(5_000),
});

const ServicesSchema = z.strictObject({
  api: ServiceName.default('api'),
  worker: ServiceName.default('worker'),
  postgres: ServiceName.default('postgres'),
});

const ComposeDriverSchema = z.strictObject({
  kind: z.literal('compose'),
  /**
   * The compose CLI, used only to recreate containers (and for everything when `host` is one the
   * Engine API client cannot reach): `["docker","compose"]` or `["docker-compose"]`. Default: the
   * first that answers `version`, `docker compose` before `docker-compose`.
   */
  command: Argv.optional(),
  /**
   * The Docker daemon: `unix:///path`, `tcp://host:port`, or `ssh://…` (through the compose CLI).
   * Default: `DOCKER_HOST` of the bot's process, else `unix:///var/run/docker.sock`.
   */
  host: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/, 'must be a docker host URL such as unix:///var/run/docker.sock')
    .optional(),
  /** The directory that holds docker-compose.yml and the `.env` file. */
  projectDir: AbsolutePath,
  /** Extra `-f` compose files, relative to projectDir. */
  files: z.array(ProjectPath).default([]),
  /** `-p` project name; compose derives one from the directory when absent. */
  projectName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a compose project name')
    .optional(),
  services: ServicesSchema.default({ api: 'api', worker: 'worker', postgres: 'postgres' }),
  /** The env file the flag lives in, relative to projectDir. Default `.env`. */
  envFile: ProjectPath.default('.env'),
  /**
   * How a flag change reaches api and worker. `auto` (default): recreate when the flag variable is
   * in their create-time environment (the file reaches them through `env_file:` or
   * `environment:`, which `restart` does not re-read), restart otherwise. `restart` (the
   * runbook's) or `recreate` (`up -d --no-deps --force-recreate`) force one.
   */
  apply: z.enum(['auto', 'restart', 'recreate']).default('auto'),
  /** Deadline of one command. Default 2m. */
  commandTimeout: DurationSchema.default(120_000),
});

/** Placeholders each action may use; they are filled as whole argv items, never through a shell. */
export const COMMAND_PLACEHOLDERS = {
  migrate: [],
  apply: [],
  celeryCall: [],
  celeryResult: ['{taskId}'],
  logs: ['{since}'],
  readEnv: [],
  installTokenCache: [],
  tokenCacheDigest: [],
  stageTokenCache: [],
  stagedTokenCacheDigest: [],
  promoteTokenCache: [],
  discardStagedTokenCache: [],
} as const;
export type CommandAction = keyof typeof COMMAND_PLACEHOLDERS;

function actionArgv(action: CommandAction) {
  const allowed: readonly string[] = COMMAND_PLACEHOLDERS[action];
  return Argv.superRefine((argv, ctx) => {
    for (const item of argv) {
      for (const placeholder of item.match(/\{[A-Za-z]+\}/g) ?? []) {
        if (!allowed.includes(placeholder)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder ${placeholder} (allowed here: ${allowed.join(', ') || 'none'})`,
          });
        }
      }
    }
  });
}

const CommandsDriverSchema = z.strictObject({
  kind: z.literal('commands'),
  /** Absolute path of the env file that holds the flag. */
  envFile: AbsolutePath,
  /** Working directory of every command. Default `/`. */
  cwd: AbsolutePath.default('/'),
  commandTimeout: DurationSchema.default(120_000),
  commands: z.strictObject({
    migrate: actionArgv('migrate'),
    /** Restarts (or recreates) api and worker so they read the env file again. */
    apply: actionArgv('apply'),
    celeryCall: actionArgv('celeryCall'),
    celeryResult: actionArgv('celeryResult'),
    /** Worker logs since `{since}` (RFC 3339). */
    logs: actionArgv('logs'),
    /** Prints the api process's environment as KEY=VALUE lines. */
    readEnv: actionArgv('readEnv'),
    /** Reads the token cache on stdin and writes `.token_cache` (mode 0600) in the api service. */
    installTokenCache: actionArgv('installTokenCache'),
    /** Prints `sha256sum`-style output for the installed `.token_cache`. */
    tokenCacheDigest: actionArgv('tokenCacheDigest'),
    /**
     * Where `requireApproval` is on, Phase 2 stages the new cache beside the live one until the
     * approval: stdin to `.token_cache.pending` (mode 0600), its digest, and the rename that makes it live.
     */
    stageTokenCache: actionArgv('stageTokenCache').optional(),
    stagedTokenCacheDigest: actionArgv('stagedTokenCacheDigest').optional(),
    promoteTokenCache: actionArgv('promoteTokenCache').optional(),
    /** Removes `.token_cache.pending` (succeeds when it is absent): a sign-in nobody approved is not kept. */
    discardStagedTokenCache: actionArgv('discardStagedTokenCache').optional(),
  }),
});

const DriverSchema = z.discriminatedUnion('kind', [ComposeDriverSchema, CommandsDriverSchema]);

const AuthSchema = z.strictObject({
  /** Default `https://login.microsoftonline.com/{tenantId}`; `{tenantId}` is filled from the env file. */
  authority: z
    .string()
    .regex(/^https:\/\//, 'must be an https:// URL (MSAL refuses insecure authorities)')
    .default('https://login.microsoftonline.com/{tenantId}'),
  /** Hosts MSAL must trust besides Microsoft's own (sovereign clouds, tests). */
  knownAuthorities: z.array(z.string().min(1)).default([]),
  /** Default: `HUNTER_PARTNER_CENTER_SCOPE` from the env file, else the Partner Center user_impersonation scope. */
  scope: z.string().min(1).optional(),
  /** How long the person has to finish the device-code login. Default 15m. */
  loginTimeout: DurationSchema.default(15 * 60_000),
  /**
   * The accounts Hunter may act as (UPNs or object ids). When set, any other account fails Phase 2
   * before its token cache is installed. Default: any account (set it for prod).
   */
  allowedAccounts: z.array(z.string().trim().min(1)).default([]),
});

const PrincipalSchema = z.union([SlackUserIdSchema, SlackGroupIdSchema], {
  error: 'must be a Slack user id (U…) or user-group id (S…)',
});

const PolicySchema = z.strictObject({
  /** Who may start, cancel and switch off runs: user ids (U…) and user-group ids (S…). */
  requesters: z.array(PrincipalSchema).default([]),
  /** Who may approve (never the requester of the run). */
  approvers: z.array(PrincipalSchema).default([]),
  /** Channels allowed to start runs; empty = any channel. Required where `requireApproval` is on. */
  channels: z.array(SlackChannelIdSchema).default([]),
  /** Default: true for prod, false otherwise. */
  requireApproval: z.boolean().optional(),
  /** Default 1h. */
  approvalTtl: DurationSchema.default(3_600_000),
  /** How many distinct approvers (never the requester) Phase 3 needs. Default 1. */
  approvals: z.number().int().min(1).max(20).default(1),
  /**
   * User groups (S…) of which one member each must be among the approvers (a person in two of
   * them counts for one); their members may approve. `approvals` must be at least their number.
   */
  approvalGroups: z.array(SlackGroupIdSchema).default([]),
  /** A change ticket on each run; absent: `/pc-verify <env>` takes no ticket. */
  ticket: TicketSchema.optional(),
  /** What happens to the flag after a passing run. Default keep-on. */
  afterPass: z.enum(['keep-on', 'turn-off']).default('keep-on'),
  /** A failed Phase 3 turns the flag OFF again. Default: true for prod. */
  rollbackOnFailure: z.boolean().optional(),
  /**
   * `/pc-verify login <env>` waits for an approver (not the requester) before the sign-in.
   * Default: the same as `requireApproval` (on for prod): the identity Hunter acts as is a two-person change.
   */
  loginRequiresApproval: z.boolean().optional(),
  /** When Phase 3 may start (docs/architecture.md#change-windows); none = any time. */
  windows: z.array(ChangeWindowSchema).default([]),
  /** When Phase 3 may not start, whatever the windows say. */
  freezes: z.array(FreezeSchema).default([]),
});

/** The shortest watch interval: a probe reads logs and /healthz, and must finish before the next one. */
const MIN_WATCH_INTERVAL_MS = 1_000;

/**
 * Day 2 (docs/architecture.md#the-day-2-watch): a read-only probe every `interval` while pc-verify has the flag ON. Default
 * `{ interval: 10m }` (Hunter's own sync interval); `false` turns the watch off.
 */
const WatchSchema = z.union([
  z.literal(false),
  z.strictObject({
    interval: DurationSchema.default(10 * 60_000).refine(
      (ms) => ms >= MIN_WATCH_INTERVAL_MS,
      `must be at least ${MIN_WATCH_INTERVAL_MS / 1000}s`,
    ),
  }),
]);

const ExpectSchema = z.strictObject({
  offMessage: z.string().min(1).default(DEFAULT_EXPECT.offMessage),
  tokenFailureMessage: z.string().min(1).default(DEFAULT_EXPECT.tokenFailureMessage),
  enqueuedMessage: z.string().min(1).default(DEFAULT_EXPECT.enqueuedMessage),
  taskSkippedStatus: z.string().min(1).default(DEFAULT_EXPECT.taskSkippedStatus),
  taskSkippedReason: z.string().min(1).default(DEFAULT_EXPECT.taskSkippedReason),
  offLogEvent: z.string().min(1).default(DEFAULT_EXPECT.offLogEvent),
  offLogReason: z.string().min(1).default(DEFAULT_EXPECT.offLogReason),
  onLogEvents: z
    .array(z.string().min(1))
    .min(1)
    .default([...DEFAULT_EXPECT.onLogEvents]),
  table: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default(DEFAULT_EXPECT.table),
});

const EnvironmentSchema = z.strictObject({
  tier: TierSchema,
  api: ApiSchema,
  database: DatabaseSchema,
  driver: DriverSchema,
  auth: AuthSchema.default(AuthSchema.parse({})),
  policy: PolicySchema.superRefine(approvalsCoverGroups).default(PolicySchema.parse({})),
  expect: ExpectSchema.default(ExpectSchema.parse({})),
  watch: WatchSchema.default({ interval: 10 * 60_000 }),
});

export const ConfigFileSchema = z.strictObject({
  /** Names the BullMQ queue and the Redis key prefix, so two deployments can share one Redis. */
  deployment: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/)
    .default('pcv'),
  /** The language of every message a person reads (`en` or `tr`, the runbook's own). Default `en`. */
  language: z.enum(LANGUAGES).default('en'),
  /** The bot's Redis: one server, a Cluster or Sentinel. Absent: REDIS_URL. */
  redis: RedisSchema.optional(),
  audit: z
    .strictObject({
      /** How long audit entries are kept; trimmed by age only, never by count. Default 400d. */
      retain: DurationSchema.optional(),
    })
    .optional(),
  environments: z
    .record(EnvNameSchema, EnvironmentSchema)
    .refine((envs) => Object.keys(envs).length > 0, 'must list at least one environment'),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export type EnvironmentFile = z.infer<typeof EnvironmentSchema>;
export type ComposeDriverConfig = z.infer<typeof ComposeDriverSchema>;
export type CommandsDriverConfig = z.infer<typeof CommandsDriverSchema>;
export type DriverConfig = z.infer<typeof DriverSchema>;
export type AuthConfig = z.infer<typeof AuthSchema>;
export type PolicyFile = z.infer<typeof PolicySchema>;
export type Expectations = z.infer<typeof ExpectSchema>;
export type WatchConfig = z.infer<typeof WatchSchema>;
