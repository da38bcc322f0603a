import { type Incident, incidentSchema } from '../../domain/index.ts';
import type { IncidentStore } from './incident-store.ts';

/** An IncidentStore in memory, for tests, the benchmark and `belay simulate`. Validates every write. */
export class InMemoryIncidentStore implements IncidentStore {
  readonly incidents = new Map<string, Incident>();
  readonly deliveries = new Set<string>();
  writes = 0;

  getIncident(id: string): Incident | undefined {
    const found = this.incidents.get(id);
    return found ? structuredClone(found) : undefined;
  }

  findOpenIncident(key: string): Incident | undefined {
    for (const incident of this.incidents.values()) {
      if (incident.key === key && incident.status === 'open') return structuredClone(incident);
    }
    return undefined;
  }

  putIncident(incident: Incident): void {
    this.writes += 1;
    this.incidents.set(incident.id, incidentSchema.parse(structuredClone(incident)));
  }

  markDelivery(source: string, id: string): boolean {
    const key = `${source}\u0000${id}`;
    if (this.deliveries.has(key)) return false;
    this.deliveries.add(key);
    return true;
  }
}
