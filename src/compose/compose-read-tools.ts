import type { Config } from '../config/index.ts';
import { type Clock, redact } from '../domain/index.ts';
import type { Clusters } from '../kube/index.ts';
import { createKubernetesReadTools } from '../observe/kubernetes/index.ts';
import { createLokiReads } from '../observe/loki/index.ts';
import type { PrometheusReads } from '../observe/prometheus/index.ts';
import type { ReadTool } from '../observe/read-tool.ts';

/**
 * The read tools Belay's investigations use: the cluster's, Prometheus's when configured, Loki's when
 * configured. The bot's orienter and `belay mcp` both take them from here, so an agent reads exactly what
 * the investigation reads, with the same caps and redaction.
 */
export function composeReadTools(options: {
  readonly config: Config;
  readonly clusters: Clusters;
  readonly prometheus: PrometheusReads | undefined;
  readonly clock: Clock;
  readonly lokiToken?: string;
}): ReadTool[] {
  const { config, clusters, prometheus, clock } = options;
  return [
    ...createKubernetesReadTools({ readerFor: clusters.readerFor, clock, redact }),
    ...(prometheus ? [prometheus.tool] : []),
    // Logs that outlive their pod; only when a Loki is configured.
    ...(config.loki
      ? [
          createLokiReads({
            section: config.loki,
            ...(options.lokiToken ? { token: options.lokiToken } : {}),
            defaultCluster: clusters.defaultCluster,
            clock,
            redact,
          }).tool,
        ]
      : []),
  ];
}
