import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from './logger.ts';

/**
 * Bolt and its WebClient log through our pino logger. Their debug output is dropped whatever
 * the level: the WebClient logs request bodies at debug, and a DM body carries a sign-in code.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' ');
  const rank: Record<LogLevel, number> = {
    [LogLevel.DEBUG]: 0,
    [LogLevel.INFO]: 1,
    [LogLevel.WARN]: 2,
    [LogLevel.ERROR]: 3,
  };
  const enabled = (at: LogLevel) => rank[at] >= rank[level];
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => {
      if (enabled(LogLevel.INFO)) child.info(text(msg));
    },
    warn: (...msg: unknown[]) => {
      if (enabled(LogLevel.WARN)) child.warn(text(msg));
    },
    error: (...msg: unknown[]) => {
      if (enabled(LogLevel.ERROR)) child.error(text(msg));
    },
    setLevel: (next: LogLevel) => {
      level = next === LogLevel.DEBUG ? LogLevel.INFO : next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
