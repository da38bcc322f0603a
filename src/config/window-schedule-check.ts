import { validateCronExpression } from 'cron';
import type { ConfigIssue } from './config-problem.ts';
import type { Config } from './schema.ts';

// Kept to one file so the calendar module can replace it with its own check when it exports one.

/** Every recurring window's cron expression parses, and every window's time zone exists. */
export function checkWindowSchedules(config: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  config.windows.forEach((window, i) => {
    if (window.schedule !== undefined) {
      // Whatever the cron package accepts, since the calendar computes the window with it.
      const result = validateCronExpression(window.schedule);
      if (!result.valid) {
        const why = result.error?.message ?? 'cron cannot parse it';
        issues.push({
          path: ['windows', i, 'schedule'],
          message: `"${window.schedule}" is not a cron expression (${why}); write 5 fields, minute hour day-of-month month day-of-week, like "0 2 * * *" for 02:00 every day`,
        });
      }
    }
    if (!isTimeZone(window.timezone)) {
      issues.push({
        path: ['windows', i, 'timezone'],
        message: `"${window.timezone}" is not an IANA time zone; write it like UTC, Europe/Paris or America/New_York`,
      });
    }
  });
  return issues;
}

function isTimeZone(name: string): boolean {
  // Intl.supportedValuesOf('timeZone') omits aliases such as UTC; asking a formatter accepts exactly what
  // the runtime can compute with.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
