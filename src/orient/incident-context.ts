import type { Alert, Facts, Incident, MetricSeries } from '../domain/index.ts';
import { redactDeep } from '../domain/index.ts';

const SAMPLES_PER_SERIES = 12;

/** Keeps the shape of a series in a dozen points: first, last and evenly spaced between. */
export function downsample(series: MetricSeries): MetricSeries {
  const { samples } = series;
  if (samples.length <= SAMPLES_PER_SERIES) return series;
  const step = (samples.length - 1) / (SAMPLES_PER_SERIES - 1);
  const picked = Array.from({ length: SAMPLES_PER_SERIES }, (_, i) => samples[Math.round(i * step)]);
  return { ...series, samples: picked.filter((s) => s !== undefined) };
}

/**
 * The incident, its alerts and the facts code gathered, as the model reads them: compact JSON, redacted,
 * with alert annotations (free text anyone with a Prometheus rule can write) marked as untrusted.
 */
export function incidentContext(input: {
  readonly incident: Incident;
  readonly facts: Facts;
  readonly alerts: readonly Alert[];
  readonly now: Date;
}): Record<string, unknown> {
  const { incident, facts, alerts, now } = input;
  return redactDeep({
    now: now.toISOString(),
    incident: {
      id: incident.id,
      title: incident.title,
      cluster: incident.cluster,
      namespace: incident.namespace,
      workload: incident.workload ?? facts.owner ?? null,
      openedAt: incident.openedAt,
      storm: incident.storm,
    },
    alerts: alerts.slice(0, 10).map((a) => ({
      name: a.name,
      status: a.status,
      startsAt: a.startsAt,
      labels: a.labels,
      untrustedAnnotations: a.annotations,
    })),
    facts: {
      namespaceLabels: facts.namespaceLabels,
      pod: facts.pod ?? null,
      owner: facts.owner ?? null,
      lastRolloutAt: facts.lastRolloutAt ?? null,
      replicas: facts.replicas ?? null,
      metrics: facts.metrics.slice(0, 8).map(downsample),
      windows: facts.windows,
      calendarProblems: facts.calendarProblems,
      freeze: facts.freeze,
      recentActions: facts.ledger.slice(-10),
    },
  }) as Record<string, unknown>;
}
