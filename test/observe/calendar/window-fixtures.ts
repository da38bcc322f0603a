import { type SelectorSubject, windowDefinitionSchema } from '../../../src/domain/index.ts';
import { type CalendarWindow, windowFromDefinition } from '../../../src/observe/calendar/index.ts';

/** A window as an operator writes it in belay.yaml, parsed by the real schema. */
export function configWindow(definition: Record<string, unknown>): CalendarWindow {
  return windowFromDefinition(windowDefinitionSchema.parse(definition));
}

export const postgresSubject: SelectorSubject = {
  cluster: 'default',
  namespace: 'databases',
  names: ['postgres-0', 'postgres'],
  labels: { app: 'postgres', tier: 'data' },
};

export const storyWindow = (): CalendarWindow =>
  configWindow({
    name: 'postgres-nightly-backup',
    kind: 'backup',
    schedule: '0 2 * * *',
    duration: '45m',
    timezone: 'UTC',
    selector: { namespaces: ['databases'], names: ['postgres-*'] },
  });

/** [start, end) of each occurrence, for compact assertions. */
export const spans = (occurrences: readonly { start: string; end: string }[]): string[] =>
  occurrences.map((o) => `${o.start} → ${o.end}`);
