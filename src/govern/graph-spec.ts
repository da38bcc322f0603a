import {
  type Action,
  type Alert,
  alertSubject,
  DEFAULT_CLUSTER,
  type Facts,
  type GraphSpec,
  type Incident,
  type MetricSeries,
  type Rule,
} from '../domain/index.ts';

/** The span a graph shows by default: the night's story fits in it, and a day's pattern does not crowd it. */
export const GRAPH_SPAN_MS = 6 * 3_600_000;
/** Before the alert's start, when it started longer ago than the span: what "normal" looked like. */
const CONTEXT_MS = 3_600_000;
/** An alert firing for days still gets a readable picture: at most a week. */
const MAX_SPAN_MS = 7 * 86_400_000;

/** The memory series drawn for a pod when no rule names a metric. */
export const POD_MEMORY_METRIC = 'container_memory_working_set_bytes';

/** What to draw for an incident: the metric, whose target it scopes to, and the rule's threshold. */
export interface GraphSubject {
  readonly metric: string;
  /** The target the series is scoped to (an action only in name: nothing is run with it). */
  readonly scope: Action;
  readonly threshold?: GraphSpec['threshold'];
}

/**
 * The metric of the rule that matched (its `when.metric`, threshold and all), else the pod's memory. No pod
 * and no rule metric: nothing to draw. `action` is the proposal's; without one the alert's pod is the target.
 */
export function graphSubject(
  incident: Pick<Incident, 'cluster' | 'namespace'>,
  alerts: readonly Alert[],
  rules: readonly Rule[],
  action: Action | undefined,
): GraphSubject | undefined {
  const scope = action ?? podOfAlerts(incident, alerts);
  if (!scope) return undefined;
  const withMetric = rules.filter((r) => r.when.metric && r.action === scope.kind);
  const rule = withMetric[0] ?? rules.find((r) => r.when.metric);
  const m = rule?.when.metric;
  if (rule && m) {
    const direction = m.above !== undefined ? 'above' : 'below';
    const value = m.above ?? m.below ?? 0;
    return { metric: m.name, scope, threshold: { value, rule: rule.name, direction, forMs: m.for } };
  }
  if (scope.kind === 'restart-pod') return { metric: POD_MEMORY_METRIC, scope };
  return undefined;
}

function podOfAlerts(
  incident: Pick<Incident, 'cluster' | 'namespace'>,
  alerts: readonly Alert[],
): Action | undefined {
  for (const alert of alerts) {
    const s = alertSubject(alert);
    if (s.pod)
      return {
        kind: 'restart-pod',
        target: {
          cluster: incident.cluster ?? DEFAULT_CLUSTER,
          namespace: s.namespace ?? incident.namespace,
          pod: s.pod,
        },
      };
  }
  return undefined;
}

/** Six hours up to now, or from an hour before the alert started when that is earlier; a little after now. */
export function graphSpan(now: Date, alertStart: string | undefined): { from: Date; to: Date } {
  const started = alertStart ? Date.parse(alertStart) : Number.NaN;
  const back = Number.isFinite(started)
    ? Math.min(MAX_SPAN_MS, Math.max(GRAPH_SPAN_MS, now.getTime() - started + CONTEXT_MS))
    : GRAPH_SPAN_MS;
  // A little room after "now" shows where an open window ends.
  return { from: new Date(now.getTime() - back), to: new Date(now.getTime() + back / 8) };
}

/** The earliest start among the firing alerts. */
export function alertStartOf(alerts: readonly Alert[]): string | undefined {
  return alerts
    .filter((a) => a.status === 'firing')
    .map((a) => a.startsAt)
    .sort()[0];
}

/** The picture's data: the series, the rule's line, the windows over the span, the alert's start and now. */
export function incidentGraphSpec(input: {
  readonly subject: GraphSubject;
  readonly series: MetricSeries;
  readonly facts: Facts;
  readonly span: { from: Date; to: Date };
  readonly alertStart?: string;
  readonly now: Date;
}): GraphSpec {
  const { subject, series, facts, span } = input;
  const from = span.from.toISOString();
  const to = span.to.toISOString();
  const unit = subject.metric.endsWith('_bytes') ? 'bytes' : 'number';
  const limit = unit === 'bytes' && /memory/.test(subject.metric) ? facts.pod?.memoryLimitBytes : undefined;
  const t = subject.scope.target;
  const who = 'pod' in t ? t.pod : t.name;
  return {
    title: `${t.namespace}/${who} · ${describeMetric(subject.metric)}`,
    metric: subject.metric,
    unit,
    samples: series.samples.filter((s) => s.at >= from && s.at <= to),
    from,
    to,
    now: input.now.toISOString(),
    ...(input.alertStart ? { alertStart: input.alertStart } : {}),
    ...(subject.threshold ? { threshold: subject.threshold } : {}),
    ...(limit !== undefined ? { limit } : {}),
    windows: facts.windows
      .filter((w) => w.start < to && w.end > from)
      .map((w) => ({ name: w.name, kind: w.kind, start: w.start, end: w.end })),
  };
}

function describeMetric(metric: string): string {
  if (/memory/.test(metric)) return 'memory';
  if (/cpu/.test(metric)) return 'CPU';
  if (/restart/.test(metric)) return 'restarts';
  return metric;
}
