export { type ScopedQuery, type ScopeOptions, scopeLogQL } from './logql-scope.ts';
export { DEFAULT_LOGS_LIMITS, type LogsLimits, type LogsQueryDeps, logsQuery } from './logs-query-tool.ts';
export {
  createLokiClient,
  type LogStream,
  type LokiAnswer,
  type LokiClient,
  type LokiClientOptions,
  type LokiRangeOptions,
} from './loki-client.ts';
export { createLokiReads, type LokiReadsOptions } from './loki-reads.ts';
