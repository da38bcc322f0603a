import type { FactsInput, ObservedRestart, WorkloadRef } from '../../domain/index.ts';
import { WORKLOAD_KINDS } from '../../domain/index.ts';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { sampleValue } from '../prometheus/prometheus-response.ts';
import { type LabelMatcher, seriesSelector } from '../prometheus/promql-selector.ts';

/** A Job running at that instant, and the CronJob that started it when kube-state-metrics says so. */
export interface RunningJob {
  readonly job: string;
  readonly namespace: string;
  readonly cronJob?: string;
}

/** A pod as Prometheus remembers it at one instant: what could be rebuilt, and what could not. */
export interface PodHistory {
  readonly facts: Pick<FactsInput, 'pod' | 'owner' | 'restarts' | 'namespaceLabels'>;
  readonly runningJobs: readonly RunningJob[];
  /** What could not be rebuilt, in plain words: "namespace labels: not in history (…)". */
  readonly gaps: readonly string[];
}

type Sample = { readonly metric: Record<string, string>; readonly value: number };

/**
 * The pod's facts at `atMs`, from the series kube-state-metrics keeps: its owner (kube_pod_owner, through
 * kube_replicaset_owner to a Deployment), restarts (kube_pod_container_status_restarts_total) within
 * `horizonMs`, memory limit, labels (kube_pod_labels, kube_namespace_labels) and the Jobs running in its
 * namespace (kube_job_status_active, kube_job_owner). Never throws: a read that fails is a gap.
 */
export async function podHistory(
  client: PrometheusClient,
  target: { readonly namespace: string; readonly pod: string },
  atMs: number,
  horizonMs: number,
): Promise<PodHistory> {
  const gaps: string[] = [];
  const at = new Date(atMs);
  const ns: LabelMatcher = { label: 'namespace', op: '=', value: target.namespace };
  const pod: LabelMatcher = { label: 'pod', op: '=', value: target.pod };
  const read = async (what: string, metric: string, matchers: LabelMatcher[]): Promise<Sample[]> => {
    const selector = seriesSelector(metric, matchers);
    if (!selector.ok) {
      gaps.push(`${what}: ${selector.reason}`);
      return [];
    }
    const answer = await client.instant(selector.selector, { time: at });
    if (!answer.ok) {
      gaps.push(`${what}: ${answer.error}`);
      return [];
    }
    if (answer.data.resultType !== 'vector') {
      gaps.push(`${what}: Prometheus answered a ${answer.data.resultType}, not an instant vector`);
      return [];
    }
    return answer.data.result.map((r) => ({ metric: r.metric, value: sampleValue(r.value[1]) }));
  };

  const [owners, limits, podLabels, nsLabels, active, jobOwners] = await Promise.all([
    read('owner', 'kube_pod_owner', [ns, pod]),
    read('memory limit', 'kube_pod_container_resource_limits', [
      ns,
      pod,
      { label: 'resource', op: '=', value: 'memory' },
    ]),
    read('pod labels', 'kube_pod_labels', [ns, pod]),
    read('namespace labels', 'kube_namespace_labels', [ns]),
    read('running jobs', 'kube_job_status_active', [ns]),
    read('job owners', 'kube_job_owner', [ns, { label: 'owner_kind', op: '=', value: 'CronJob' }]),
  ]);
  const restarts = await restartHistory(client, target, atMs, horizonMs, gaps);

  const owner = await topOwner(owners, target.namespace, read, gaps);
  const limit = Math.max(0, ...limits.map((s) => s.value).filter(Number.isFinite));
  const labels = prefixed(podLabels[0]?.metric, 'label_');
  if (!podLabels[0])
    gaps.push('pod labels: not in history (no kube_pod_labels series); selectors on pod labels cannot match');
  const namespaceLabels = prefixed(nsLabels[0]?.metric, 'label_');
  if (!nsLabels[0])
    gaps.push(
      'namespace labels: not in history (no kube_namespace_labels series); classes chosen by label cannot be judged',
    );
  const cronOf = new Map(jobOwners.map((s) => [s.metric.job_name ?? '', s.metric.owner_name]));
  const runningJobs = active
    .filter((s) => s.value > 0 && s.metric.job_name)
    .map((s): RunningJob => {
      const job = s.metric.job_name as string;
      const cronJob = cronOf.get(job);
      return { job, namespace: target.namespace, ...(cronJob ? { cronJob } : {}) };
    })
    .sort((a, b) => a.job.localeCompare(b.job));

  return {
    facts: {
      namespaceLabels,
      pod: {
        name: target.pod,
        labels,
        restartCount: restarts.count,
        ...(restarts.observed[0] ? { lastRestartAt: restarts.observed[0].at } : {}),
        ...(limit > 0 ? { memoryLimitBytes: limit } : {}),
        ...(restarts.containers.length > 0 ? { containers: restarts.containers } : {}),
      },
      ...(owner ? { owner } : {}),
      restarts: restarts.observed,
    },
    runningJobs,
    gaps,
  };
}

/** The pod's controller as kube-state-metrics names it, followed from a ReplicaSet to its Deployment. */
async function topOwner(
  owners: readonly Sample[],
  namespace: string,
  read: (what: string, metric: string, matchers: LabelMatcher[]) => Promise<Sample[]>,
  gaps: string[],
): Promise<WorkloadRef | undefined> {
  const controller = owners.find((s) => s.metric.owner_is_controller !== 'false') ?? owners[0];
  const kind = controller?.metric.owner_kind;
  const name = controller?.metric.owner_name;
  if (!kind || !name || kind === '<none>') {
    gaps.push('owner: not in history (no kube_pod_owner series); judged as a bare pod');
    return undefined;
  }
  if (kind === 'ReplicaSet') {
    const rs = await read('owner', 'kube_replicaset_owner', [
      { label: 'namespace', op: '=', value: namespace },
      { label: 'replicaset', op: '=', value: name },
    ]);
    const up = rs[0]?.metric;
    if (up?.owner_kind === 'Deployment' && up.owner_name) return { kind: 'Deployment', name: up.owner_name };
    // A Deployment names its ReplicaSets <deployment>-<pod-template-hash>.
    const deployment = name.replace(/-[a-z0-9]{6,10}$/, '');
    if (deployment !== name) {
      gaps.push(
        `owner: ReplicaSet ${name}'s owner is not in history (no kube_replicaset_owner series); taken as Deployment ${deployment} from its name`,
      );
      return { kind: 'Deployment', name: deployment };
    }
    return { kind: 'ReplicaSet', name };
  }
  if ((WORKLOAD_KINDS as readonly string[]).includes(kind))
    return { kind: kind as WorkloadRef['kind'], name };
  gaps.push(`owner: ${kind} ${name} is not a workload kind Belay knows; judged as a bare pod`);
  return undefined;
}

/** Container restarts within the horizon: each rise of the restart counter, newest first. */
async function restartHistory(
  client: PrometheusClient,
  target: { readonly namespace: string; readonly pod: string },
  atMs: number,
  horizonMs: number,
  gaps: string[],
): Promise<{ count: number; observed: ObservedRestart[]; containers: string[] }> {
  const none = { count: 0, observed: [], containers: [] };
  const selector = seriesSelector('kube_pod_container_status_restarts_total', [
    { label: 'namespace', op: '=', value: target.namespace },
    { label: 'pod', op: '=', value: target.pod },
  ]);
  if (!selector.ok) return none;
  const stepMs = Math.max(60_000, Math.ceil(horizonMs / 10_000 / 1_000) * 1_000);
  const answer = await client.range(selector.selector, {
    start: new Date(atMs - Math.max(horizonMs, stepMs)),
    end: new Date(atMs),
    stepSeconds: stepMs / 1_000,
  });
  if (!answer.ok || answer.data.resultType !== 'matrix') {
    gaps.push(
      `restarts: ${answer.ok ? `Prometheus answered a ${answer.data.resultType}, not a range` : answer.error}`,
    );
    return none;
  }
  if (answer.data.result.length === 0) {
    gaps.push(
      'restarts: not in history (no kube_pod_container_status_restarts_total series); judged as never restarted',
    );
    return none;
  }
  let count = 0;
  const observed: ObservedRestart[] = [];
  const containers: string[] = [];
  for (const series of answer.data.result) {
    const container = series.metric.container ?? 'container';
    containers.push(container);
    let previous: number | undefined;
    for (const [seconds, text] of series.values) {
      const value = sampleValue(text);
      if (!Number.isFinite(value)) continue;
      if (previous !== undefined && value > previous) {
        observed.push({
          at: new Date(Math.round(seconds * 1_000)).toISOString(),
          source: 'container',
          subject: target.pod,
          evidence: `container ${container} restart count rose to ${value} (kube_pod_container_status_restarts_total)`,
        });
      }
      previous = value;
    }
    count += previous ?? 0;
  }
  observed.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return { count, observed, containers: [...new Set(containers)].sort() };
}

/** kube-state-metrics writes a label `app` as `label_app`. */
function prefixed(metric: Record<string, string> | undefined, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metric ?? {}))
    if (key.startsWith(prefix) && value !== '') out[key.slice(prefix.length)] = value;
  return out;
}
