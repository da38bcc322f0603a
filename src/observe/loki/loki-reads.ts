import type { LokiSection } from '../../config/sections/loki.ts';
import type { Clock } from '../../domain/index.ts';
import type { ReadTool } from '../read-tool.ts';
import { logsQuery } from './logs-query-tool.ts';
import { createLokiClient, type LokiClient } from './loki-client.ts';

export interface LokiReadsOptions {
  readonly section: LokiSection;
  /** The token `bearerTokenEnv` names, already read from the environment by config/. */
  readonly token?: string;
  /** Used when the section names no cluster: kubernetes.defaultCluster. */
  readonly defaultCluster: string;
  readonly clock: Clock;
  readonly redact: (text: string) => string;
  readonly fetch?: typeof globalThis.fetch;
}

/** One Loki from the config section, and the `logs_query` tool over it. */
export function createLokiReads(options: LokiReadsOptions): { client: LokiClient; tool: ReadTool } {
  const { section } = options;
  const client = createLokiClient({
    url: section.url,
    timeoutMs: section.timeout,
    ...(section.tenant ? { tenant: section.tenant } : {}),
    ...(options.token ? { bearerToken: options.token } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    client,
    tool: logsQuery({
      client,
      clock: options.clock,
      cluster: section.cluster ?? options.defaultCluster,
      namespaceLabel: section.namespaceLabel,
      redact: options.redact,
      limits: { maxLines: section.maxLines, maxBytes: section.maxBytes, maxRangeMs: section.maxRange },
    }),
  };
}
