import { CronJob } from 'cron';
import type pino from 'pino';
import type { Config } from '../config/index.ts';
import { type Clock, DEFAULT_CLUSTER } from '../domain/index.ts';
import {
  createPatternCache,
  type PatternCache,
  type PatternReading,
  readRecurringPatterns,
} from '../observe/patterns/index.ts';
import { createPrometheusClient } from '../observe/prometheus/index.ts';

export interface PatternRefresh {
  readonly cache: PatternCache;
  stop(): void;
}

/**
 * prometheus.patterns: the search for recurring patterns, run at start and then on its schedule, in the
 * background, into a cache the facts read from memory. The decision never waits for Prometheus's history.
 * Its own client: weeks of history take longer than the few-second budget of a decision's queries.
 */
export function wirePatternRefresh(options: {
  readonly config: Config;
  readonly token?: string;
  readonly clock: Clock;
  readonly logger: pino.Logger;
}): PatternRefresh | undefined {
  const { config, clock, logger } = options;
  const section = config.prometheus;
  const settings = section?.patterns;
  if (!section || !settings) return undefined;
  const client = createPrometheusClient({
    url: section.url,
    timeoutMs: Math.max(section.timeout, 60_000),
    ...(options.token ? { bearerToken: options.token } : {}),
  });
  const cluster =
    section.cluster ??
    config.kubernetes.defaultCluster ??
    config.kubernetes.clusters[0]?.name ??
    DEFAULT_CLUSTER;
  const cache = createPatternCache(() => {
    const untilMs = clock.now().getTime();
    return readRecurringPatterns(
      client,
      { cluster, ...(settings.namespaces ? { namespaces: settings.namespaces } : {}) },
      { sinceMs: untilMs - settings.lookback, untilMs, timeZone: settings.timezone },
    );
  }, clock.now);
  const report = (reading: PatternReading) => {
    if (reading.ok)
      logger.info(
        { part: 'patterns', patterns: reading.patterns.length, series: reading.seriesExamined },
        'recurring patterns refreshed',
      );
    else
      logger.warn(
        { part: 'patterns', error: reading.error },
        'could not refresh recurring patterns from Prometheus; the decision keeps the last ones found',
      );
  };
  const refresh = () => void cache.refresh().then(report);
  const job = CronJob.from({ cronTime: settings.schedule, onTick: refresh, start: true, timeZone: 'UTC' });
  refresh();
  return { cache, stop: () => void job.stop() };
}
