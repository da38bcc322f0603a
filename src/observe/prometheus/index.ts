export { alertFiring } from './alert-firing.ts';
export {
  type CompactResult,
  type CompactSeries,
  compactResult,
  downsample,
  type Point,
} from './compact-series.ts';
export { type MetricFactsOptions, metricFacts, metricRange, metricScope } from './metric-facts.ts';
export {
  DEFAULT_METRICS_LIMITS,
  type MetricsLimits,
  type MetricsQueryDeps,
  metricsQuery,
  refuseQuery,
} from './metrics-query-tool.ts';
export {
  createPrometheusClient,
  type PrometheusAnswer,
  type PrometheusClient,
  type PrometheusClientOptions,
  type RangeOptions,
} from './prometheus-client.ts';
export {
  createPrometheusReads,
  type PrometheusReads,
  type PrometheusReadsOptions,
} from './prometheus-reads.ts';
export { type QueryData, queryDataSchema, sampleValue } from './prometheus-response.ts';
export {
  isMetricName,
  type LabelMatcher,
  type LabelMatcherOp,
  promqlString,
  seriesSelector,
} from './promql-selector.ts';
