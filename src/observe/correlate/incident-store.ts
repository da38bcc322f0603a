import type { Incident } from '../../domain/index.ts';

/**
 * What correlation needs from the state store (the lowdb store implements it). Methods may answer
 * synchronously or with a promise; callers always await.
 */
export interface IncidentStore {
  getIncident(id: string): Incident | undefined | Promise<Incident | undefined>;
  /** The open incident for a correlation key, if any. */
  findOpenIncident(key: string): Incident | undefined | Promise<Incident | undefined>;
  /** Whatever it returns (the lowdb store returns the stored copy) is awaited and not used. */
  putIncident(incident: Incident): unknown;
  /** Records a delivery id; true the first time it is seen, false for a replay. */
  markDelivery(source: string, id: string): boolean | Promise<boolean>;
}
