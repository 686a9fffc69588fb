import type { EnvironmentConfig } from '../config/config.ts';
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
  | { readonly kind: 'promoteTokenCache' };

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
      readonly reason: 'exit' | 'timeout' | 'cancelled' | 'spawn';
      readonly exitCode?: number;
      readonly stdout: string;
      readonly stderr: string;
      /** One line for a person: what ran, what happened. Redacted. */
      readonly message: string;
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
  /** The exact argv an action would run, for `plan`; nothing is executed. */
  describe(action: TargetAction): readonly string[];
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
}
