import type { Logger as BoltLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';

/** The slice of a pino logger the edge uses; main.ts passes pino, tests a recording logger. */
export interface EdgeLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Bolt wants its own Logger interface; this adapts ours so Bolt's lines land in the same log. */
export function boltLogger(logger: EdgeLogger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' ');
  return {
    debug: (...parts) => logger.debug(line(parts), { source: 'bolt' }),
    info: (...parts) => logger.info(line(parts), { source: 'bolt' }),
    warn: (...parts) => logger.warn(line(parts), { source: 'bolt' }),
    error: (...parts) => logger.error(line(parts), { source: 'bolt' }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Bolt's edge logs (message, data); pino takes (data, message). */
export function edgeLoggerFromPino(logger: {
  debug(data: object, message: string): void;
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}): EdgeLogger {
  return {
    debug: (message, data) => logger.debug(data ?? {}, message),
    info: (message, data) => logger.info(data ?? {}, message),
    warn: (message, data) => logger.warn(data ?? {}, message),
    error: (message, data) => logger.error(data ?? {}, message),
  };
}
