import { join } from 'node:path';
import type { Alert, Facts, Rule } from '../domain/index.ts';
import { alertStartOf, graphSpan, graphSubject, incidentGraphSpec } from '../govern/graph-spec.ts';
import type { GraphRenderer } from '../graph/index.ts';
import type { CliIo } from './cli-io.ts';

/** One step's graph: where it was written, or why there is none. */
export type StepGraph = { readonly file: string } | { readonly none: string };

/**
 * The graph Belay would post for a simulated step, drawn from the snapshot's own samples (a simulation has
 * no Prometheus) and written as `DIR/NN-HHMM-target.png`. The same choice of metric, span and windows as
 * the running bot makes, so the file is the picture the card would carry.
 */
export async function simulateGraph(input: {
  readonly dir: string;
  readonly index: number;
  readonly alerts: readonly Alert[];
  readonly facts: Facts;
  /** The rules that matched the step's alerts. */
  readonly rules: readonly Rule[];
  readonly at: Date;
  readonly renderer: GraphRenderer;
  readonly writeFile: NonNullable<CliIo['writeFile']>;
}): Promise<StepGraph> {
  const { facts, at } = input;
  const subject = graphSubject(facts, input.alerts, input.rules, undefined);
  if (!subject) return { none: 'the alert names no pod and no matching rule watches a metric' };
  const series = facts.metrics.find((m) => m.name === subject.metric);
  if (!series || series.samples.length === 0)
    return { none: `the facts snapshot has no samples of ${subject.metric}` };
  const alertStart = alertStartOf(input.alerts);
  const spec = incidentGraphSpec({
    subject,
    series,
    facts,
    span: graphSpan(at, alertStart),
    ...(alertStart ? { alertStart } : {}),
    now: at,
  });
  const target = 'pod' in subject.scope.target ? subject.scope.target.pod : subject.scope.target.name;
  const hhmm = at.toISOString().slice(11, 16).replace(':', '');
  const file = join(input.dir, `${String(input.index + 1).padStart(2, '0')}-${hhmm}-${target}.png`);
  let png: Uint8Array;
  try {
    png = input.renderer.render(spec);
  } catch (error) {
    return { none: `drawing ${subject.metric} failed: ${(error as Error).message}` };
  }
  await input.writeFile(file, png);
  return { file };
}
