import type { Config } from '../config/index.ts';
import { restartHorizonMs } from '../decide/index.ts';
import { type Clock, type RecurringPattern, redact } from '../domain/index.ts';
import type { FactsSource } from '../govern/execution-gate.ts';
import { createFactsSource, type GovernanceState } from '../govern/facts-source.ts';
import { type Clusters, type KubeConfigLoader, loadClusters, loadKubeConfig } from '../kube/index.ts';
import { type CalendarWindow, occurrencesAt, windowFromDefinition } from '../observe/calendar/index.ts';
import { backupSettingsFrom, gatherFacts } from '../observe/kubernetes/index.ts';
import { createPrometheusReads, type PrometheusReads } from '../observe/prometheus/index.ts';
import { externalCalendars } from './external-calendars.ts';

export interface ComposeFactsOptions {
  readonly config: Config;
  readonly clock: Clock;
  /** Belay's own state: the live store, or (belay explain) a read-only snapshot of it. */
  readonly state: GovernanceState;
  /** How kubeconfigs are loaded; tests point it at a fake API server. */
  readonly kubeConfigLoader?: KubeConfigLoader;
  /** The secrets the config names by variable, already read by config/. */
  readonly prometheusToken?: string;
  readonly pagerdutyApiToken?: string;
  /** Recurring patterns cached in the background (prometheus.patterns), for the facts' caution. */
  readonly patterns?: () => readonly RecurringPattern[];
}

export interface ComposedFacts {
  readonly clusters: Clusters;
  readonly prometheus: PrometheusReads | undefined;
  /** The policy file's windows, for /remediate windows and status. */
  readonly configWindows: readonly CalendarWindow[];
  /** What the execution gate decides on: the one way Belay gathers facts about a target. */
  readonly facts: FactsSource;
}

/**
 * Clusters, Prometheus, calendars and Belay's state wired into one facts source. The running bot and
 * `belay explain` both build it here, so an explanation is decided on exactly what the gate would see.
 * Throws when a kubeconfig cannot be loaded, naming the cluster.
 */
export function composeFacts(options: ComposeFactsOptions): ComposedFacts {
  const { config, clock } = options;
  const clusters = loadClusters(config.kubernetes, options.kubeConfigLoader ?? loadKubeConfig);
  const prometheus = config.prometheus
    ? createPrometheusReads({
        section: config.prometheus,
        ...(options.prometheusToken ? { token: options.prometheusToken } : {}),
        defaultCluster: clusters.defaultCluster,
        rules: config.rules,
        clock,
        redact,
      })
    : undefined;
  const configWindows = config.windows.map(windowFromDefinition);
  const backups = backupSettingsFrom(config.kubernetes);
  // How far back restarts Belay did not do are looked for: the longest restart window in the policy.
  const restartHorizon = restartHorizonMs(config);
  const facts = createFactsSource({
    store: options.state,
    clock,
    external: externalCalendars(config, options.pagerdutyApiToken, clock),
    ...(options.patterns ? { patterns: options.patterns } : {}),
    cluster: async (action, base) => {
      const reader = clusters.readerFor(action.target.cluster);
      if (!reader) throw new Error(`Belay has no credentials for cluster "${action.target.cluster}"`);
      // Samples for the rules' metric conditions; without Prometheus those conditions never hold.
      const metrics = prometheus ? await prometheus.metrics(action) : [];
      return gatherFacts(
        { reader, clock, occurrencesAt, windows: configWindows, backups, restartHorizonMs: restartHorizon },
        action,
        { ...base, metrics },
      );
    },
  });
  return { clusters, prometheus, configWindows, facts };
}
