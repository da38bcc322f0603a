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
