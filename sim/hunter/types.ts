/** The public shapes of the Hunter simulator (see index.ts for the entry point). */
import type { Pause, PauseOptions, PausePoint } from './pause-points.ts';

export type RequiredEnvVar =
  | 'HUNTER_PARTNER_CENTER_CLIENT_ID'
  | 'HUNTER_PARTNER_CENTER_TENANT_ID'
  | 'HUNTER_PARTNER_CENTER_API_URL';

/** Switches for every fault the runbook names. All default to off. */
export interface HunterFaults {
  /** API OFF path answers 200 (the API's flag check is broken). */
  offReturns200: boolean;
  /** OFF path answers 400, but with a different detail message. */
  offWrongMessage: boolean;
  /** The Celery task does real work while OFF (result 'success', logs "sync started"). */
  taskRunsWhileOff: boolean;
  /** OFF-path logs wrongly say "enabled" / `partner_center_sync_started` (the result stays correct). */
  enabledInOffLogs: boolean;
  /** `alembic upgrade head` exits 1 with a sqlalchemy traceback; the database is not touched. */
  migrationFails: boolean;
  /** The migration "succeeds" but leaves no `partner_center_referrals` table. */
  tableMissing: boolean;
  /** `referral_id` is created as varchar(100) instead of varchar(255). */
  wrongColumnType: boolean;
  /** This variable is written empty in `.env` at start. */
  emptyEnvVar: RequiredEnvVar | null;
  /** 'missing': installs are silently dropped; 'corrupt': the installed content is garbled. */
  tokenCache: 'ok' | 'missing' | 'corrupt';
  /** The ON task raises while processing referrals (traceback in the worker log, result raises). */
  workerExceptionWhenOn: boolean;
  /** The message of that exception, when not the usual AttributeError's (text a hostile record could carry). */
  workerExceptionMessage: string | null;
  /** The fake Partner Center drops every connection: the ON task fails to fetch referrals. */
  partnerCenterUnreachable: boolean;
  /** `restart` keeps the old env (like `env_file:`); recreate still applies the file. */
  restartIgnoresEnv: boolean;
  /** After restart/recreate the api refuses connections this long. */
  startDelayMs: number;
  /** api and worker are down: connections refused, `exec` fails with "service … is not running". */
  down: boolean;
  /**
   * Every start of the api fails as uvicorn does on a broken `app/main.py` (a deploy with a
   * syntax error): the import raises, the traceback goes to the container's log, exit code 1.
   */
  apiCrashesAtStart: boolean;
  /**
   * A command the images do not have (Debian's `python3-alembic` ships the library, not the
   * `alembic` command): `exec` of it is runc's exit 126, "executable file not found".
   */
  missingProgram: string | null;
  /** Every `docker`/`compose` command takes this long before it does anything (a huge value: it hangs). */
  commandDelayMs: number;
  /** Every api response is held this long (a slow or hanging api behind a proxy that accepted the connection). */
  apiDelayMs: number;
}

export const NO_FAULTS: Readonly<HunterFaults> = {
  offReturns200: false,
  offWrongMessage: false,
  taskRunsWhileOff: false,
  enabledInOffLogs: false,
  migrationFails: false,
  tableMissing: false,
  wrongColumnType: false,
  emptyEnvVar: null,
  tokenCache: 'ok',
  workerExceptionWhenOn: false,
  workerExceptionMessage: null,
  partnerCenterUnreachable: false,
  restartIgnoresEnv: false,
  startDelayMs: 0,
  down: false,
  apiCrashesAtStart: false,
  missingProgram: null,
  commandDelayMs: 0,
  apiDelayMs: 0,
};

/** A fake Azure AD the worker refreshes its token against (refresh_token grant). */
export interface HunterAadOptions {
  /** The token endpoint for a tenant, e.g. `https://127.0.0.1:4443/{tenant}/oauth2/v2.0/token`. */
  tokenUrl: (tenantId: string) => string;
  /** PEM of a CA to trust for that endpoint (a self-signed test server). */
  ca?: string;
  /**
   * What Azure AD would say of an access token (the fake AAD's `accessTokenState`). Given, the
   * worker uses the cached access token until it expires, as MSAL does, and Partner Center
   * refuses a revoked one with 401: a revocation shows as a 401 first, and as "Token
   * acquisition failed" (AADSTS50173) once the token's hour is over. Not given: every sync
   * refreshes.
   */
  accessTokenState?: (token: string) => 'valid' | 'revoked' | 'expired' | 'unknown';
}

export interface HunterSimOptions {
  /** A real PostgreSQL database; the migration creates its tables there. */
  databaseUrl: string;
  /** Default: a new temp dir, removed on stop. */
  projectDir?: string;
  /** Compose project name (container names `<name>-api-1`). Default: derived from projectDir like compose. */
  projectName?: string;
  /**
   * 'bind-mount' (default): `.env` is mounted and read at every start, so restart applies it (the runbook).
   * 'env-file': values are fixed when the container is created (`env_file:`); only recreate applies them.
   */
  envMode?: 'bind-mount' | 'env-file';
  /**
   * Which compose the stand-ins impersonate. 'v2' (default): `docker compose` (and
   * `docker-compose`) answer as compose v2. 'v1': `docker-compose` answers as 1.29 (no `logs
   * --since`, unknown options print usage and exit 0, `exec` without `-T` needs a terminal,
   * `hunter_worker_1`) and `docker compose` is an unknown docker command.
   */
  compose?: 'v1' | 'v2';
  /**
   * With `compose: 'v1'`: which 1.x. '1.29.2' (default, Debian 12). '1.25.0' (Ubuntu 20.04's
   * package) has no `logs --no-log-prefix` (added in 1.28): the option prints usage, exit 0.
   */
  composeV1Release?: '1.29.2' | '1.25.0';
  /**
   * With 'bind-mount': true when Hunter reads the mounted `.env` itself (pydantic-settings), as
   * the real stack does, so `printenv` in the container shows none of its variables. Default
   * false: the values are in the process environment as well.
   */
  appReadsDotenv?: boolean;
  /** Initial HUNTER_PARTNER_CENTER_ENABLED. Default false. */
  flag?: boolean;
  clientId?: string;
  tenantId?: string;
  scope?: string;
  /** Without it the ON task skips the refresh and uses the cache's access token. */
  aad?: HunterAadOptions;
  faults?: Partial<HunterFaults>;
  /** How long the sync task "works". Default 50 ms. */
  taskDelayMs?: number;
  /** Celery beat sends the sync task this often (Hunter: 10 minutes). Default: no schedule. */
  beatIntervalMs?: number;
  /** More `NAME=value` lines for `.env` (a real one holds secrets beside the Partner Center block). */
  extraEnvLines?: readonly string[];
}

export interface HunterSim {
  /** http://127.0.0.1:PORT, the same port across restarts. */
  readonly apiUrl: string;
  readonly projectDir: string;
  readonly envFile: string;
  /** `unix://…`: the simulator's Docker Engine API (driver.host or DOCKER_HOST for the compose driver). */
  readonly dockerHost: string;
  setFaults(faults: Partial<HunterFaults>): void;
  /** Every argv the stand-in `docker` / `docker-compose` received (after the program name), in order. */
  composeCalls(): readonly (readonly string[])[];
  /** Every Engine API request the simulator answered, as `METHOD /path` (version prefix removed). */
  engineCalls(): readonly string[];
  /** The `.token_cache` installed in the api container (the worker shares it). */
  tokenCacheFile(): { content: string; mode: number } | undefined;
  /** `.token_cache.pending`: a sign-in staged until its approval (absent when none waits). */
  stagedTokenCacheFile(): { content: string; mode: number } | undefined;
  /** The environment the service's process started with. */
  serviceEnv(service: 'api' | 'worker'): Readonly<Record<string, string>>;
  /** Holds the deployment at the next such moment until released (see pause-points.ts). */
  pauseAt(point: PausePoint, options?: PauseOptions): Pause;
  /** Stand-in requests and Engine API exec streams still being answered (a blocked `celery result`, say). */
  openControlRequests(): number;
  /** Celery beat's schedule comes due now: the sync task id, or undefined while the worker is down. */
  beatNow(): string | undefined;
  /** Starts (or replaces, or with `false` stops) beat's schedule. */
  scheduleBeat(intervalMs: number | false): void;
  /** What a person does after editing `.env` by hand: `docker compose restart api worker` on the host. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export type ServiceName = 'api' | 'worker' | 'postgres' | 'redis';
export const SERVICE_NAMES: readonly ServiceName[] = ['api', 'worker', 'postgres', 'redis'];

/** What a command inside the simulated deployment prints, and its exit code. */
export interface CommandReply {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function reply(exitCode: number, stdout = '', stderr = ''): CommandReply {
  return { exitCode, stdout, stderr };
}
