import { type Logger, pino } from 'pino';
import { redactPaths } from '../util/redact.ts';

/**
 * Structured JSON logs: a fixed message plus a metadata object, one child logger per concern.
 * Token-shaped fields are censored by path; free text is redacted where it is produced.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    redact: { paths: [...redactPaths], censor: '[redacted]' },
    base: { app: 'pc-verify' },
  });
}

export type { Logger };
