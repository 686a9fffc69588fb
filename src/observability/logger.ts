import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { createRedactor, REDACTED, redactPaths } from '../util/redact.ts';

export type { Logger };

export interface LoggerSettings {
  /** pino level: trace, debug, info (default), warn, error, fatal, silent. */
  readonly level?: string;
  /** Where the JSON lines go; default stdout. Tests pass a stream and read it back. */
  readonly destination?: DestinationStream;
  /** Secrets known up front (Slack tokens, the signing secret): replaced wherever they appear. */
  readonly secrets?: readonly string[];
}

/**
 * Structured JSON logs — a fixed message plus a metadata object — with two layers of
 * redaction: pino's `redact` for secret-named fields, and the shape-based redactor (JWTs,
 * bearer and Slack tokens, URL passwords, `password=…`) over every string, messages included.
 * Device codes have no recognisable shape: they are never handed to a logger at all.
 */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const redact = createRedactor(settings.secrets ?? []);
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { app: 'pc-verify' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactPaths], censor: REDACTED },
    formatters: { log: (object) => redactDeep(object, redact, 0) as Record<string, unknown> },
    // formatters.log has already turned an Error into a plain, redacted object by the time this runs.
    serializers: {
      err: (error: unknown) =>
        typeof error === 'object' && error !== null
          ? redactDeep(error, redact, 0)
          : { message: redact(String(error)) },
    },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg: unknown) => (typeof arg === 'string' ? redact(arg) : arg));
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  // stdout written asynchronously: a synchronous write per line was a syscall on the event loop
  // that acks Slack. Lines written meanwhile leave together; pino flushes them on exit.
  return pino(options, settings.destination ?? pino.destination({ dest: 1, sync: false }));
}

function redactDeep(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value, redact);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact, depth + 1)]),
  );
}

function serializeError(error: unknown, redact: (text: string) => string): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: redact(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: redact(error.message),
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: redact(error.stack) } : {}),
  };
}
