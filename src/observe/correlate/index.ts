export {
  type CorrelationResult,
  type Correlator,
  type CorrelatorOptions,
  createCorrelator,
  type IncidentChange,
  type IncidentUpdate,
} from './correlator.ts';
export { InMemoryIncidentStore } from './in-memory-incident-store.ts';
export { type Placement, placeAlert, workloadOf } from './incident-placement.ts';
export type { IncidentStore } from './incident-store.ts';
export { createStormDetector, type StormDetector } from './storm-detector.ts';
