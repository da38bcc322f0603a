export { recordAuditEvent } from './audit-metrics.ts';
export {
  type BelayMetrics,
  type BelayMetricsOptions,
  createBelayMetrics,
  type MetricsSources,
} from './belay-metrics.ts';
export { registerHealthGauge } from './health-gauge.ts';
export { createMetricsServer, type MetricsServer, scrape } from './metrics-server.ts';
export { instrumentedModelFetch } from './model-fetch.ts';
