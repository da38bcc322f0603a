import {
  type Action,
  type Alert,
  type Facts,
  formatDuration,
  formatGraphValue,
  type GraphFile,
  type GraphSpec,
  type Incident,
  type MetricSeries,
  type Rule,
} from '../domain/index.ts';
import { alertStartOf, type GraphSubject, graphSpan, graphSubject, incidentGraphSpec } from './graph-spec.ts';

export interface IncidentGraphDeps {
  /** One metric of a target over a span, from Prometheus; absent when Belay has no Prometheus. */
  readonly history?: (action: Action, metric: string, from: Date, to: Date) => Promise<MetricSeries>;
  /** Draws the PNG; may throw, and then the thread says why. */
  readonly render: (spec: GraphSpec) => Uint8Array | Promise<Uint8Array>;
  /** Into the incident's thread, referenced from its card. */
  readonly post: (incidentId: string, file: GraphFile) => Promise<void>;
  /** A line in the incident's thread: why there is no graph. */
  readonly line: (incidentId: string, text: string) => Promise<void>;
}

export interface GraphRequest {
  readonly incident: Incident;
  readonly alerts: readonly Alert[];
  readonly facts: Facts;
  /** The rules that matched the alerts: the first with a `when.metric` names what to draw. */
  readonly rules: readonly Rule[];
  /** The proposal's action, when there is one: its target is what the series is scoped to. */
  readonly action?: Action;
  readonly now: Date;
}

export type GraphOutcome =
  | { readonly posted: true; readonly spec: GraphSpec }
  | { readonly posted: false; readonly why: string };

/**
 * The incident's metric, drawn and posted in its thread after the card. A graph is a help, never a
 * condition: without Prometheus, without samples, or when drawing fails, the card stands and the thread
 * says in one line why there is no picture.
 */
export function createIncidentGraphs(deps: IncidentGraphDeps) {
  async function post(request: GraphRequest): Promise<GraphOutcome> {
    const { incident, alerts } = request;
    // A storm's incidents share one message and no threads of their own; drawing each would only cost.
    if (incident.storm) return { posted: false, why: 'part of an alert storm' };
    const subject = graphSubject(incident, alerts, request.rules, request.action);
    if (!subject) return { posted: false, why: 'no metric to draw' };
    const prepared = await prepare(subject, request);
    if ('why' in prepared) {
      await deps.line(incident.id, prepared.why);
      return { posted: false, why: prepared.why };
    }
    const { spec } = prepared;
    let png: Uint8Array;
    try {
      png = await deps.render(spec);
    } catch (error) {
      const why = `No graph for this incident: drawing ${spec.metric} failed (${(error as Error).message}). Nothing else is affected; the series is still in Prometheus.`;
      await deps.line(incident.id, why);
      return { posted: false, why };
    }
    await deps.post(incident.id, {
      filename: `${incident.id}-${spec.metric}.png`,
      title: spec.title,
      altText: altText(spec),
      png,
    });
    return { posted: true, spec };
  }

  async function prepare(
    subject: GraphSubject,
    request: GraphRequest,
  ): Promise<{ spec: GraphSpec } | { why: string }> {
    const { metric, scope } = subject;
    const target = 'pod' in scope.target ? scope.target.pod : scope.target.name;
    const where = `${scope.target.namespace}/${target}`;
    if (!deps.history)
      return {
        why: `No graph for this incident: Belay reads ${metric} from Prometheus, and belay.yaml has no \`prometheus\` section. Add one (its url) to see the metric on the card next time.`,
      };
    const alertStart = alertStartOf(request.alerts);
    const span = graphSpan(request.now, alertStart);
    // Up to now: the span after it only shows where an open window ends.
    const series = await deps.history(scope, metric, span.from, request.now);
    if (series.samples.length === 0)
      return {
        why: `No graph for this incident: Belay could not read ${metric} for ${where} from Prometheus (${series.problem ?? 'no samples'}).`,
      };
    const spec = incidentGraphSpec({
      subject,
      series,
      facts: request.facts,
      span,
      ...(alertStart ? { alertStart } : {}),
      now: request.now,
    });
    return { spec };
  }

  return { post };
}
export type IncidentGraphs = ReturnType<typeof createIncidentGraphs>;

/** What the picture says, in one sentence: Slack's alt text and what a screen reader reads. */
export function altText(spec: GraphSpec): string {
  const latest = spec.samples.at(-1);
  const parts = [
    `${spec.title} from ${spec.from.slice(11, 16)} to ${spec.to.slice(11, 16)} UTC`,
    latest ? `latest ${formatGraphValue(latest.value, spec.unit)}` : '',
    spec.threshold
      ? `rule ${spec.threshold.rule} fires ${spec.threshold.direction} ${formatGraphValue(spec.threshold.value, spec.unit)} for ${formatDuration(spec.threshold.forMs)}`
      : '',
    spec.limit !== undefined ? `memory limit ${formatGraphValue(spec.limit, spec.unit)}` : '',
    ...spec.windows.map(
      (w) => `${w.kind} window ${w.name} ${w.start.slice(11, 16)}–${w.end.slice(11, 16)} UTC`,
    ),
  ];
  return parts.filter(Boolean).join('; ').slice(0, 1_000);
}
