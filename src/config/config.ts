import type { EnvName } from '../domain/ids.ts';
import type { Language } from '../i18n/index.ts';
import type { RedisTarget } from './redis.ts';
import type {
  AuthConfig,
  DriverConfig,
  EnvironmentFile,
  Expectations,
  PolicyFile,
  Tier,
  WatchConfig,
} from './schema.ts';

/** The policy with the tier defaults applied: nothing here is optional any more. */
export interface Policy
  extends Omit<PolicyFile, 'requireApproval' | 'rollbackOnFailure' | 'loginRequiresApproval'> {
  readonly requireApproval: boolean;
  readonly loginRequiresApproval: boolean;
  readonly rollbackOnFailure: boolean;
}

export interface EnvironmentConfig {
  readonly name: EnvName;
  readonly tier: Tier;
  readonly api: EnvironmentFile['api'];
  readonly database: EnvironmentFile['database'];
  readonly driver: DriverConfig;
  readonly auth: AuthConfig;
  readonly policy: Policy;
  readonly expect: Expectations;
  /** The day-2 watch: its interval, or false (off). */
  readonly watch: WatchConfig;
  /**
   * Values the file took from the process environment (`env:NAME`) and the credentials of its
   * URLs: never shown, wherever they would appear. Set by the loader.
   */
  readonly secrets?: readonly string[];
  /** The deployment's language (the config's top-level `language`), so a run's words need no Config. Set by the loader. */
  readonly language?: Language;
}

/** How the audit trail is kept. */
export interface AuditSettings {
  /** Entries older than this are trimmed (by age only, never by count). */
  readonly retainMs: number;
}

export interface Config {
  /** Where the configuration came from (a path, or "embedded"). */
  readonly source: string;
  readonly deployment: string;
  /** The words every person reads, in Slack and the terminal; default `en`. Ids, logs and metrics stay English. */
  readonly language?: Language;
  /** The Redis the file names; absent: the caller's default (REDIS_URL). */
  readonly redis?: RedisTarget;
  readonly environments: ReadonlyMap<EnvName, EnvironmentConfig>;
  /** Set by the loader; absent: the defaults (`audit.retain` 400 days). */
  readonly audit?: AuditSettings;
  /** Every `env:` value and URL credential of the file (see EnvironmentConfig.secrets). */
  readonly secrets?: readonly string[];
}

export function withTierDefaults(name: EnvName, file: EnvironmentFile): EnvironmentConfig {
  const isProd = file.tier === 'prod';
  const requireApproval = file.policy.requireApproval ?? isProd;
  return {
    ...file,
    name,
    policy: {
      ...file.policy,
      requireApproval,
      loginRequiresApproval: file.policy.loginRequiresApproval ?? requireApproval,
      rollbackOnFailure: file.policy.rollbackOnFailure ?? isProd,
    },
  };
}

/** The env file's absolute path, whichever driver reaches the containers. */
export function envFilePath(driver: DriverConfig): string {
  if (driver.kind === 'commands') return driver.envFile;
  return driver.envFile.startsWith('/') ? driver.envFile : `${driver.projectDir}/${driver.envFile}`;
}

/** The config's Redis, else REDIS_URL, else a local server. */
export function redisTargetFor(
  config: Config,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RedisTarget {
  return config.redis ?? { kind: 'url', url: env.REDIS_URL || 'redis://127.0.0.1:6379' };
}
