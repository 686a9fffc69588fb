import type { EnvironmentConfig } from '../config/config.ts';
import type { Translate } from '../i18n/translate.ts';
import type { Clock } from '../util/clock.ts';

/**
 * The port to Hunter. Phases talk only to these small interfaces; drivers (compose,
 * commands) and adapters (undici, execa, pg, fs) implement them, and tests pass fakes or
 * the simulator.
 */

/** The actions the runbook performs on the deployment, one argv each in a driver. */
export type TargetAction =
  | { readonly kind: 'migrate' }
  | { readonly kind: 'apply' }
  | { readonly kind: 'celeryCall' }
  | { readonly kind: 'celeryResult'; readonly taskId: string }
  | { readonly kind: 'logs'; readonly since: Date }
  | { readonly kind: 'readEnv' }
  | { readonly kind: 'installTokenCache' }
  | { readonly kind: 'tokenCacheDigest' }
  /** `installTokenCache` beside the live cache: `.token_cache.pending`, which Hunter never reads. */
  | { readonly kind: 'stageTokenCache' }
  | { readonly kind: 'stagedTokenCacheDigest' }
  /** Renames the staged cache over `.token_cache` (atomic): the approved identity goes live. */
  | { readonly kind: 'promoteTokenCache' }
  /**
   * Removes `.token_cache.pending` (done when it is not there): the sign-in of a run that ends
   * without its approval used must not leave an unapproved account's refresh token behind.
   */
  | { readonly kind: 'discardStagedTokenCache' };

export type TargetActionKind = TargetAction['kind'];

/**
 * A finished child process, or why it did not finish. Output is capped (tails kept) and raw:
 * redact it before it is shown (the phase runner redacts every `observed`).
 */
export type CommandResult =
  | {
      readonly ok: true;
      readonly exitCode: 0;
      readonly stdout: string;
      readonly stderr: string;
      readonly ms: number;
    }
  | {
      readonly ok: false;
      /** unavailable: it could not run where it should (no daemon, no container, one that is stopped). */
      readonly reason: 'exit' | 'timeout' | 'cancelled' | 'spawn' | 'unavailable';
      readonly exitCode?: number;
      readonly stdout: string;
      readonly stderr: string;
      /** One line for a person: what ran, what happened. Redacted. */
      readonly message: string;
      /** What to do, when the driver knows better than the check (a stopped container, a missing program). */
      readonly hint?: string;
      readonly ms: number;
    };

export interface CommandOptions {
  readonly signal: AbortSignal;
  /** Piped to the child's stdin, never put on the command line. */
  readonly stdin?: string;
  /** Overrides the driver's default deadline for this call. */
  readonly timeoutMs?: number;
}

export interface Commands {
  run(action: TargetAction, options: CommandOptions): Promise<CommandResult>;
  /**
   * What an action would do (an argv, or Engine API calls), one line for `plan`, in the words
   * of `t` (English when not given); nothing is executed.
   */
  describe(action: TargetAction, t?: Translate): string;
}

export type AppService = 'api' | 'worker';

/** One app container as the daemon reports it. */
export interface ServiceState {
  readonly service: AppService;
  /** The container's name, as `docker ps` shows it. */
  readonly name: string;
  /** `running`, `restarting`, `exited`, `dead`, `created`, `paused`. */
  readonly status: string;
  readonly exitCode: number;
  readonly restartCount: number;
  /** Its start, so a restart the driver did not make shows up. */
  readonly startedAt: string;
  /** The flag variable in the create-time environment (`Config.Env`); undefined when absent. */
  readonly flagAtCreate: string | undefined;
  /**
   * Names of the env file's variables that are in the create-time environment with the file's
   * value: `env_file:` at work even before the flag has a line of its own. Names only.
   */
  readonly fileVarsAtCreate: readonly string[];
}

export type ApplyMode = 'restart' | 'recreate';

export type Observed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string; readonly hint: string };

/**
 * The api and worker containers, for drivers that can see them (compose). `apply: auto` decides
 * from them, and a flag change is checked against them.
 */
/**
 * `why` in English words (logs); `fixed`, when `apply: auto` decided: the containers created with
 * the flag in their environment (empty: none, so a restart re-reads the file), for a person's words.
 */
export interface ApplyDecision {
  readonly mode: ApplyMode;
  readonly why: string;
  readonly fixed?: readonly string[];
  /** Containers (with a few of the variables) that got the env file through `env_file:` before it had a flag line. */
  readonly fromFile?: readonly string[];
}

export interface Containers {
  /** How the flag is applied: as configured, or (auto) decided once from `Config.Env`, with why. */
  applyMode(signal: AbortSignal): Promise<Observed<ApplyDecision>>;
  states(signal: AbortSignal): Promise<Observed<readonly ServiceState[]>>;
  /** The last lines a container logged (for a person reading why it died). */
  lastLines(service: AppService, count: number, signal: AbortSignal): Promise<string>;
}

export type HttpResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
      readonly ms: number;
    }
  | {
      readonly ok: false;
      readonly reason: 'timeout' | 'refused' | 'cancelled' | 'error';
      readonly message: string;
      readonly ms: number;
    };

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Path below the environment's `api.baseUrl`, e.g. `/healthz`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly timeoutMs?: number;
}

export interface Http {
  request(req: HttpRequest): Promise<HttpResult>;
  /** The full URL a path resolves to, for `plan` and for messages. */
  urlOf(path: string): string;
}

export interface ColumnInfo {
  readonly name: string;
  /** `information_schema.columns.data_type`, e.g. `character varying`. */
  readonly dataType: string;
  readonly maxLength: number | null;
  readonly nullable: boolean;
}

export type TableLookup =
  | { readonly ok: true; readonly schema: string; readonly columns: readonly ColumnInfo[] }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'unreachable' | 'timeout' | 'cancelled';
      readonly message: string;
    };

export interface Database {
  /** Read-only lookup in information_schema. */
  table(name: string, signal: AbortSignal): Promise<TableLookup>;
}

/** The env file on disk (the flag lives there). */
export interface EnvFileStore {
  readonly path: string;
  read(): Promise<string>;
  /** Atomic replace (temp file + rename) keeping the file mode; the previous text is kept as a backup. */
  write(text: string): Promise<void>;
}

export type { Clock } from '../util/clock.ts';

export interface Target {
  readonly env: EnvironmentConfig;
  readonly commands: Commands;
  readonly http: Http;
  readonly db: Database;
  readonly envFile: EnvFileStore;
  readonly clock: Clock;
  /** Absent for drivers that cannot see containers (the `commands` driver). */
  readonly containers?: Containers;
}
