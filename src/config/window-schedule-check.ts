import type { ConfigIssue } from './config-problem.ts';
import type { Config } from './schema.ts';
import { windowTimingProblems } from './window-timing.ts';

/**
 * Every recurring window can be computed: the calendar that computes windows is the one that judges them,
 * so check-config can never accept a schedule the calendar would later refuse.
 */
export function checkWindowSchedules(config: Config): ConfigIssue[] {
  return config.windows.flatMap((window, i) =>
    windowTimingProblems(window).map((message) => ({ path: ['windows', i, fieldOf(message)], message })),
  );
}

/** The calendar's messages start with the field they are about. */
function fieldOf(message: string): string {
  for (const field of ['timezone', 'duration', 'schedule', 'to', 'from']) {
    if (message.startsWith(field) || message.startsWith(`\`${field}\``)) return field;
  }
  return 'schedule';
}
