import type { EdgeLogger } from '../../src/slack/edge-logger.ts';

/** A logger that keeps its lines, so a test can check that an error was logged as well as shown. */
export function recordingLogger(): EdgeLogger & {
  lines: { level: string; message: string; data?: unknown }[];
} {
  const lines: { level: string; message: string; data?: unknown }[] = [];
  const at = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push({ level, message, data });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

import type { IntakeLogger } from '../../src/observe/intake/index.ts';

/** A logger that keeps what it was told, so tests can assert on failures instead of printing them. */
export class RecordingLogger implements IntakeLogger {
  readonly entries: { level: 'warn' | 'error'; obj: object; msg: string }[] = [];

  warn(obj: object, msg: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }

  error(obj: object, msg: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
}
