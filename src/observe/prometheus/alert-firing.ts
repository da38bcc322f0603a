import type { PrometheusClient } from './prometheus-client.ts';
import { type LabelMatcher, seriesSelector } from './promql-selector.ts';

/** The labels that say where an alert points; others (severity, runbook) may differ between rule versions. */
const TARGET_LABELS = [
  'namespace',
  'pod',
  'container',
  'deployment',
  'statefulset',
  'daemonset',
  'job_name',
  'cronjob',
];

/**
 * Whether Prometheus fires the alert now, for its target: `ALERTS{alertname=…, alertstate="firing", …}`.
 * Undefined when it cannot say (the query failed, or the labels do not fit PromQL): the caller then waits
 * for the webhooks instead of guessing.
 */
export async function alertFiring(
  client: Pick<PrometheusClient, 'instant'>,
  alert: { readonly name: string; readonly labels: Readonly<Record<string, string>> },
  at?: Date,
): Promise<boolean | undefined> {
  const matchers: LabelMatcher[] = [
    { label: 'alertname', op: '=', value: alert.name },
    { label: 'alertstate', op: '=', value: 'firing' },
    ...TARGET_LABELS.flatMap((label) => {
      const value = alert.labels[label];
      return value === undefined ? [] : [{ label, op: '=' as const, value }];
    }),
  ];
  const selector = seriesSelector('ALERTS', matchers);
  if (!selector.ok) return undefined;
  const answer = await client.instant(selector.selector, at ? { time: at } : {});
  if (!answer.ok || answer.data.resultType !== 'vector') return undefined;
  return answer.data.result.length > 0;
}
