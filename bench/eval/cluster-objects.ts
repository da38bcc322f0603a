import { resolveInstant } from '../../src/cli/simulate-scenario.ts';
import type { StoredSeries } from '../../test/fakes/prometheus-server.ts';
import type { Scenario, ScenarioWorkload } from './scenario.ts';

type Obj = Record<string, unknown> & { kind: string; metadata: Record<string, unknown> };
const REVISION = 'deployment.kubernetes.io/revision';
const LONG_AGO = '-30d';

/**
 * The scenario's cluster as the Kubernetes API would hold it: namespaces, workloads with the owner chain a
 * controller would have written (pod → ReplicaSet → Deployment, pod → Job → CronJob), pod statuses with
 * restarts and terminations, and the raw objects it lists. Times are resolved against the scenario instant.
 */
export function clusterObjects(scenario: Scenario): Obj[] {
  const at = new Date(scenario.at);
  const time = (t: string) => resolveInstant(t, at) ?? scenario.at;
  const namespaces = new Map<string, Record<string, string>>();
  for (const n of scenario.cluster.namespaces) namespaces.set(n.name, n.labels);
  for (const w of scenario.cluster.workloads)
    if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, {});
  for (const a of scenario.alerts) {
    const ns = a.labels.namespace;
    if (ns && !namespaces.has(ns)) namespaces.set(ns, {});
  }
  const objects: Obj[] = [...namespaces].map(([name, l]) => ({
    kind: 'Namespace',
    metadata: { name, labels: l, creationTimestamp: time(LONG_AGO) },
  }));
  for (const w of scenario.cluster.workloads) objects.push(...workloadObjects(w, time));
  for (const raw of scenario.cluster.objects) {
    const obj = raw as Obj;
    objects.push({ ...obj, metadata: { creationTimestamp: time(LONG_AGO), ...obj.metadata } });
  }
  return objects;
}

function workloadObjects(w: ScenarioWorkload, time: (t: string) => string): Obj[] {
  const uid = `uid-${w.kind.toLowerCase()}-${w.namespace}-${w.name}`;
  const selector = { matchLabels: { app: w.name } };
  const container = {
    name: w.pods[0]?.container ?? 'app',
    image: w.image ?? `${w.name}:1.0.0`,
    ...(w.memoryLimit ? { resources: { limits: { memory: w.memoryLimit } } } : {}),
  };
  const template = { metadata: { labels: { app: w.name } }, spec: { containers: [container] } };
  const ready = w.ready ?? w.pods.filter((p) => p.ready).length;
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    namespace: w.namespace,
    uid: extra.uid ?? uid,
    labels: { app: w.name },
    creationTimestamp: time(LONG_AGO),
    ...extra,
  });
  const ref = (kind: string, name: string, refUid: string) => ({
    apiVersion: kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'batch/v1',
    kind,
    name,
    uid: refUid,
    controller: true,
  });
  const out: Obj[] = [];
  let podOwner: Record<string, unknown>;
  if (w.kind === 'Deployment') {
    const revision = w.rolledOutAt ? '2' : '1';
    out.push({
      kind: 'Deployment',
      metadata: meta(w.name, { annotations: { [REVISION]: revision, ...w.annotations } }),
      spec: { replicas: w.replicas, selector, template },
      status: { replicas: w.replicas, availableReplicas: ready, readyReplicas: ready },
    });
    const rs = (rev: string, created: string, replicas: number) => ({
      kind: 'ReplicaSet',
      metadata: meta(`${w.name}-rev${rev}`, {
        uid: `${uid}-rs${rev}`,
        annotations: { [REVISION]: rev },
        creationTimestamp: time(created),
        ownerReferences: [{ ...ref('Deployment', w.name, uid), apiVersion: 'apps/v1' }],
      }),
      spec: { replicas, selector, template },
    });
    if (w.rolledOutAt) out.push(rs('1', LONG_AGO, 0), rs('2', w.rolledOutAt, w.replicas));
    else out.push(rs('1', LONG_AGO, w.replicas));
    podOwner = ref('ReplicaSet', `${w.name}-rev${revision}`, `${uid}-rs${revision}`);
  } else if (w.kind === 'CronJob') {
    out.push({
      kind: 'CronJob',
      metadata: meta(w.name, { annotations: w.annotations }),
      spec: { schedule: w.schedule ?? '0 2 * * *', jobTemplate: { spec: { template } } },
      status: w.running ? { lastScheduleTime: time(w.running), active: [{ name: `${w.name}-run` }] } : {},
    });
    const job = `${w.name}-run`;
    if (w.running)
      out.push({
        kind: 'Job',
        metadata: meta(job, {
          uid: `${uid}-job`,
          creationTimestamp: time(w.running),
          ownerReferences: [ref('CronJob', w.name, uid)],
        }),
        spec: { template },
        status: { startTime: time(w.running), active: 1 },
      });
    podOwner = ref('Job', job, `${uid}-job`);
  } else {
    out.push({
      kind: w.kind,
      metadata: meta(w.name, { annotations: w.annotations }),
      spec: {
        ...(w.kind === 'Job' ? {} : { selector }),
        ...(w.kind === 'StatefulSet' ? { replicas: w.replicas, serviceName: w.name } : {}),
        template,
      },
      status:
        w.kind === 'Job'
          ? { startTime: time('-1h'), active: 1 }
          : { replicas: w.replicas, readyReplicas: ready, numberReady: ready },
    });
    podOwner = { ...ref(w.kind, w.name, uid), apiVersion: w.kind === 'Job' ? 'batch/v1' : 'apps/v1' };
  }
  for (const p of w.pods) {
    const ended = p.lastTermination;
    out.push({
      kind: 'Pod',
      metadata: meta(p.name, {
        uid: `uid-pod-${w.namespace}-${p.name}`,
        annotations: p.annotations,
        ownerReferences: [podOwner],
      }),
      spec: { ...(p.node ? { nodeName: p.node } : {}), containers: [{ ...container, name: p.container }] },
      status: {
        // A pod that cannot start its container is Pending; one that ran to an end and waits for nothing, Failed.
        phase: /Image|CreateContainer/.test(p.waiting?.reason ?? '')
          ? 'Pending'
          : ended && !p.waiting && !p.ready
            ? 'Failed'
            : 'Running',
        startTime: time('-2h'),
        conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }],
        containerStatuses: [
          {
            name: p.container,
            image: container.image,
            ready: p.ready,
            restartCount: p.restarts,
            state: p.waiting
              ? {
                  waiting: {
                    reason: p.waiting.reason,
                    ...(p.waiting.message ? { message: p.waiting.message } : {}),
                  },
                }
              : { running: { startedAt: time('-1m') } },
            ...(ended
              ? {
                  lastState: {
                    terminated: {
                      reason: ended.reason,
                      exitCode: ended.exitCode,
                      finishedAt: time(ended.at),
                    },
                  },
                }
              : {}),
          },
        ],
      },
    });
  }
  return out;
}

/** The scenario's metrics as stored series for the fake Prometheus: samples every `step` seconds. */
export function metricSeries(scenario: Scenario): StoredSeries[] {
  const at = new Date(scenario.at);
  const seconds = (t: string) => Date.parse(resolveInstant(t, at) ?? scenario.at) / 1_000;
  return scenario.metrics.map((m) => {
    const [from, to] = [seconds(m.from), seconds(m.to)];
    const samples: [number, number][] = [];
    for (let t = from; t <= to; t += m.step) {
      const v =
        typeof m.value === 'number'
          ? m.value
          : m.value[0] + ((m.value[1] - m.value[0]) * (t - from)) / (to - from || 1);
      samples.push([t, v]);
    }
    return { labels: m.labels, samples };
  });
}
