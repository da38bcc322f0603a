export { type ConnectionCheckOptions, connectionCheck } from './connection-check.ts';
export {
  createEventLoopWatch,
  DEFAULT_MAX_STALL_MS,
  DEFAULT_STALL_WINDOW_MS,
  type EventLoopWatch,
  type EventLoopWatchOptions,
} from './event-loop-watch.ts';
export {
  type CheckReport,
  type CheckState,
  evaluateHealth,
  type HealthAnswer,
  type HealthCheck,
  type Probe,
} from './health-check.ts';
export { createHealthRegistry, type HealthRegistry } from './health-registry.ts';
