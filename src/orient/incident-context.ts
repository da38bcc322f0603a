import type { Alert, Facts, Incident, MetricSeries } from '../domain/index.ts';
import { redactDeep } from '../domain/index.ts';

const SAMPLES_PER_SERIES = 12;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/;

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
 * with alert annotations (free text anyone with a Prometheus rule can write) marked as untrusted. Sent with
 * every model call, so what says nothing is left out: nulls, empty lists and objects, a freeze that is not
 * active, the incident's id (the model never needs it), an alert's status when firing, a bare-Pod workload the facts' pod repeats, and alert labels that repeat the alert's name or the incident's namespace and pod.
 */
export function incidentContext(input: {
  readonly incident: Incident;
  readonly facts: Facts;
  readonly alerts: readonly Alert[];
  readonly now: Date;
}): Record<string, unknown> {
  const { incident, facts, alerts, now } = input;
  const known: Record<string, string | undefined> = {
    namespace: incident.namespace,
    pod: facts.pod?.name,
    cluster: incident.cluster,
  };
  const newLabels = (a: Alert) =>
    Object.fromEntries(
      Object.entries(a.labels).filter(([k, v]) => !(k === 'alertname' && v === a.name) && known[k] !== v),
    );
  const podItself = incident.workload?.kind === 'Pod' && incident.workload.name === facts.pod?.name;
  return compact(
    redactDeep({
      now: now.toISOString(),
      incident: {
        title: incident.title,
        cluster: incident.cluster,
        namespace: incident.namespace,
        // A bare-Pod workload is the pod the facts already describe.
        workload: podItself ? null : (incident.workload ?? facts.owner ?? null),
        // Opened just now, as most are when investigated: `now` says so already.
        openedAt: incident.openedAt === now.toISOString() ? null : incident.openedAt,
        ...(incident.storm ? { storm: true } : {}),
      },
      alerts: alerts.slice(0, 10).map((a) => ({
        name: a.name,
        ...(a.status === 'firing' ? {} : { status: a.status }),
        startsAt: a.startsAt,
        labels: newLabels(a),
        untrustedAnnotations: a.annotations,
      })),
      facts: {
        namespaceLabels: facts.namespaceLabels,
        pod: facts.pod ?? null,
        owner: facts.owner ?? null,
        lastRolloutAt: facts.lastRolloutAt ?? null,
        replicas: facts.replicas ?? null,
        metrics: facts.metrics.slice(0, 8).map((m) => compactSamples(downsample(m))),
        windows: facts.windows,
        calendarProblems: facts.calendarProblems,
        freeze: facts.freeze.active ? facts.freeze : null,
        recentActions: facts.ledger.slice(-10),
      },
    }),
  ) as Record<string, unknown>;
}

/**
 * Drops nulls, empty arrays and empty objects, deeply; `false` and `0` stay, they say something. Times lose
 * their zero milliseconds: a dozen `.000` cost tokens on every call and say nothing.
 */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value === 'string') return ISO_TIME.test(value) ? value.replace('.000Z', 'Z') : value;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const c = compact(v);
    if (c === null || c === undefined) continue;
    if (Array.isArray(c) && c.length === 0) continue;
    if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c as object).length === 0) continue;
    out[key] = c;
  }
  return out;
}

/**
 * A series' samples as `[time, value]` pairs, the time without zero milliseconds: a dozen `{"at": …,
 * "value": …}` objects cost more in keys than in data, on every model call.
 */
function compactSamples(series: MetricSeries): Record<string, unknown> {
  const { samples, ...rest } = series;
  return {
    ...rest,
    samples: samples.map((p) => [new Date(p.at).toISOString().replace('.000Z', 'Z'), p.value]),
  };
}
