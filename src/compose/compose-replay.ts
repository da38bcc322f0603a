import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { restartHorizonMs } from '../decide/index.ts';
import { DEFAULT_CLUSTER } from '../domain/index.ts';
import {
  auditHistory,
  prometheusHistory,
  type ReplayHistory,
  type RunReplayDeps,
} from '../govern/replay/index.ts';
import { windowFromDefinition } from '../observe/calendar/index.ts';
import { backupSettingsFrom } from '../observe/kubernetes/backup-settings.ts';
import { readRecurringPatterns } from '../observe/patterns/index.ts';
import { createPrometheusClient, type PrometheusClient } from '../observe/prometheus/index.ts';

export interface ComposeReplayOptions {
  readonly config: Config;
  /** The token `prometheus.bearerTokenEnv` names, read from the environment by config/. */
  readonly prometheusToken?: string;
  /** A client already built (the running bot's); otherwise one is built from `config.prometheus`. */
  readonly prometheus?: PrometheusClient;
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * Where a replay reads the past: Prometheus when the config has one (alerts from ALERTS, facts from
 * kube-state-metrics and cAdvisor, recurring patterns from the same history), else the alerts in Belay's
 * audit log under store.dir. Shared by `belay replay` and `/remediate replay`, so both replay the same way.
 */
export function composeReplay(options: ComposeReplayOptions): RunReplayDeps {
  const { config } = options;
  const section = config.prometheus;
  if (!section)
    return {
      policy: config,
      history: auditHistory({ dir: join(config.store.dir, 'audit'), policy: config }),
    };
  const client =
    options.prometheus ??
    createPrometheusClient({
      url: section.url,
      // A replay reads days of history: give each query longer than an incident's facts get.
      timeoutMs: Math.max(section.timeout, 30_000),
      ...(options.prometheusToken ? { bearerToken: options.prometheusToken } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  const cluster =
    section.cluster ??
    config.kubernetes.defaultCluster ??
    config.kubernetes.clusters[0]?.name ??
    DEFAULT_CLUSTER;
  const history: ReplayHistory = prometheusHistory({
    client,
    policy: config,
    cluster,
    windows: config.windows.map(windowFromDefinition),
    restartHorizonMs: restartHorizonMs(config),
    backups: backupSettingsFrom(config.kubernetes),
  });
  return {
    policy: config,
    history,
    // The same detector `belay windows suggest` and the decision-time caution use, over the replayed period.
    patterns: async (period) => {
      const found = await readRecurringPatterns(client, { cluster }, period);
      return found.ok ? { ok: true, patterns: found.patterns } : found;
    },
  };
}
