import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/index.ts';
import type { Loose } from './kube-api-patch.ts';

// The fake API server's memory and its controllers: just enough of the ReplicaSet, Deployment and
// StatefulSet controllers for an executor to verify what it did. Readiness is computed from the injected
// clock at read time, so a test moves time instead of sleeping.

export const RESOURCES = {
  pods: { group: '', kind: 'Pod', namespaced: true },
  events: { group: '', kind: 'Event', namespaced: true },
  configmaps: { group: '', kind: 'ConfigMap', namespaced: true },
  namespaces: { group: '', kind: 'Namespace', namespaced: false },
  replicasets: { group: 'apps', kind: 'ReplicaSet', namespaced: true },
  deployments: { group: 'apps', kind: 'Deployment', namespaced: true },
  statefulsets: { group: 'apps', kind: 'StatefulSet', namespaced: true },
  controllerrevisions: { group: 'apps', kind: 'ControllerRevision', namespaced: true },
  daemonsets: { group: 'apps', kind: 'DaemonSet', namespaced: true },
  cronjobs: { group: 'batch', kind: 'CronJob', namespaced: true },
  jobs: { group: 'batch', kind: 'Job', namespaced: true },
  poddisruptionbudgets: { group: 'policy', kind: 'PodDisruptionBudget', namespaced: true },
  leases: { group: 'coordination.k8s.io', kind: 'Lease', namespaced: true },
} as const;
export type Resource = keyof typeof RESOURCES;

export const REVISION = 'deployment.kubernetes.io/revision';
/** A pod template annotation the playground's bad rollout sets: its pods crash-loop and never get Ready. */
export const CRASH_LOOP = 'demo.belay.dev/crash-loop';
const HASH = 'pod-template-hash';

export function apiVersionOf(resource: Resource): string {
  const group = RESOURCES[resource].group;
  return group ? `${group}/v1` : 'v1';
}

export class ObjectStore {
  private readonly objects = new Map<string, Loose>();
  private readonly readyAt = new Map<string, number>();
  private resourceVersion = 1000;
  private uidCounter = 0;
  private podCounter = 0;
  /** How long a pod the controllers create takes to become Ready; Infinity means never. */
  readyDelayMs = 0;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  private key(resource: Resource, namespace: string | undefined, name: string): string {
    return `${resource}|${RESOURCES[resource].namespaced ? (namespace ?? '') : ''}|${name}`;
  }

  /** The fake clock's now, for timestamps the server writes (managedFields). */
  now(): string {
    return this.clock.now().toISOString();
  }

  nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  get(resource: Resource, namespace: string | undefined, name: string): Loose | undefined {
    const obj = this.objects.get(this.key(resource, namespace, name));
    return obj ? this.materialise(resource, structuredClone(obj)) : undefined;
  }

  list(resource: Resource, namespace: string | undefined): Loose[] {
    const prefix = `${resource}|${RESOURCES[resource].namespaced ? (namespace ?? '') : ''}|`;
    return [...this.objects.entries()]
      .filter(([k]) => (namespace === undefined ? k.startsWith(`${resource}|`) : k.startsWith(prefix)))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, obj]) => this.materialise(resource, structuredClone(obj)));
  }

  /** Stores an object as is (a write the server already checked), filling in what the API server owns. */
  put(resource: Resource, obj: Loose): Loose {
    const { kind } = RESOURCES[resource];
    const previous = this.objects.get(this.key(resource, obj.metadata.namespace, obj.metadata.name));
    const stored = structuredClone(obj);
    stored.apiVersion = apiVersionOf(resource);
    stored.kind = kind;
    stored.metadata.uid ??= previous?.metadata.uid ?? `uid-${++this.uidCounter}`;
    stored.metadata.creationTimestamp ??=
      previous?.metadata.creationTimestamp ?? this.clock.now().toISOString();
    const specChanged = JSON.stringify(previous?.spec) !== JSON.stringify(stored.spec);
    stored.metadata.generation = (previous?.metadata.generation ?? 0) + (specChanged || !previous ? 1 : 0);
    stored.metadata.resourceVersion = this.nextResourceVersion();
    this.objects.set(this.key(resource, stored.metadata.namespace, stored.metadata.name), stored);
    return stored;
  }

  delete(resource: Resource, namespace: string | undefined, name: string): boolean {
    const k = this.key(resource, namespace, name);
    const obj = this.objects.get(k);
    if (obj?.metadata.uid) this.readyAt.delete(obj.metadata.uid);
    return this.objects.delete(k);
  }

  /** Runs the controllers until nothing changes. `immediate` makes new pods Ready at once (seeding). */
  reconcile(immediate = false): void {
    for (const d of this.list('deployments', undefined)) this.reconcileDeployment(d);
    for (const rs of this.list('replicasets', undefined)) this.reconcileReplicaSet(rs, immediate);
    for (const ss of this.list('statefulsets', undefined)) this.reconcileStatefulSet(ss, immediate);
  }

  private owned(resource: Resource, namespace: string, ownerUid: string): Loose[] {
    return this.list(resource, namespace).filter((o) =>
      (o.metadata.ownerReferences ?? []).some((r: Loose) => r.uid === ownerUid && r.controller),
    );
  }

  private reconcileDeployment(d: Loose): void {
    if (d.spec.paused) return;
    const ns = d.metadata.namespace;
    const sets = this.owned('replicasets', ns, d.metadata.uid);
    const template = structuredClone(d.spec.template);
    delete template.metadata?.labels?.[HASH];
    const hash = templateHash(template);
    const maxRevision = Math.max(0, ...sets.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    let current = sets.find((rs) => rs.metadata.labels?.[HASH] === hash);
    let revision = Number(current?.metadata.annotations?.[REVISION] ?? 0);
    if (!current || revision !== maxRevision) revision = maxRevision + 1;
    if (!current) {
      const labels = { ...(template.metadata?.labels ?? {}), [HASH]: hash };
      current = {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          labels,
          annotations: { [REVISION]: String(revision) },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [HASH]: hash } },
          template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
        },
      };
    }
    for (const rs of [...sets.filter((s) => s.metadata.name !== current.metadata.name), current]) {
      const isCurrent = rs === current;
      const desired = isCurrent ? (d.spec.replicas ?? 1) : 0;
      const rsRevision = isCurrent ? String(revision) : rs.metadata.annotations?.[REVISION];
      const stored = this.rawOf('replicasets', rs);
      if (
        !stored ||
        stored.spec.replicas !== desired ||
        stored.metadata.annotations?.[REVISION] !== rsRevision
      ) {
        rs.spec.replicas = desired;
        rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [REVISION]: rsRevision };
        delete rs.status;
        this.put('replicasets', rs);
      }
    }
    if (d.metadata.annotations?.[REVISION] !== String(revision)) {
      const raw = this.rawOf('deployments', d);
      raw.metadata.annotations = { ...(raw.metadata.annotations ?? {}), [REVISION]: String(revision) };
      raw.metadata.resourceVersion = this.nextResourceVersion();
    }
  }

  private rawOf(resource: Resource, obj: Loose): Loose {
    return this.objects.get(this.key(resource, obj.metadata.namespace, obj.metadata.name));
  }

  private reconcileReplicaSet(rs: Loose, immediate: boolean): void {
    const pods = this.owned('pods', rs.metadata.namespace, rs.metadata.uid);
    const desired = rs.spec.replicas ?? 0;
    for (let i = pods.length; i < desired; i++) {
      const suffix = (++this.podCounter).toString(36).padStart(5, 'x');
      this.createPod(rs, `${rs.metadata.name}-${suffix}`, immediate);
    }
    for (const extra of pods.slice(desired))
      this.delete('pods', extra.metadata.namespace, extra.metadata.name);
  }

  private reconcileStatefulSet(ss: Loose, immediate: boolean): void {
    const revision = `${ss.metadata.name}-${templateHash(ss.spec.template)}`;
    const desired = ss.spec.replicas ?? 1;
    const ns = ss.metadata.namespace;
    // Like the StatefulSet controller, each template gets a ControllerRevision named after its hash.
    if (!this.get('controllerrevisions', ns, revision)) {
      const revisions = this.owned('controllerrevisions', ns, ss.metadata.uid);
      this.put('controllerrevisions', {
        metadata: {
          name: revision,
          namespace: ns,
          labels: {
            ...(ss.spec.selector?.matchLabels ?? {}),
            'controller.kubernetes.io/hash': revision.slice(ss.metadata.name.length + 1),
          },
          ownerReferences: [ownerRef(ss)],
        },
        data: { spec: { template: structuredClone(ss.spec.template) } },
        revision: Math.max(0, ...revisions.map((r) => Number(r.revision ?? 0))) + 1,
      });
    }
    for (let i = 0; i < desired; i++) {
      const name = `${ss.metadata.name}-${i}`;
      const pod = this.get('pods', ns, name);
      if (pod && pod.metadata.labels?.['controller-revision-hash'] === revision) continue;
      if (pod) this.delete('pods', ns, name);
      this.createPod(ss, name, immediate, { 'controller-revision-hash': revision });
    }
    for (const pod of this.owned('pods', ns, ss.metadata.uid)) {
      const ordinal = Number(pod.metadata.name.slice(ss.metadata.name.length + 1));
      if (ordinal >= desired) this.delete('pods', ns, pod.metadata.name);
    }
    const raw = this.rawOf('statefulsets', ss);
    if (raw.status?.updateRevision !== revision) {
      raw.status = {
        ...(raw.status ?? {}),
        updateRevision: revision,
        currentRevision: raw.status?.updateRevision,
      };
    }
  }

  private createPod(
    owner: Loose,
    name: string,
    immediate: boolean,
    extraLabels: Record<string, string> = {},
  ) {
    const template = owner.spec.template;
    const pod = this.put('pods', {
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [ownerRef(owner)],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Running', startTime: this.clock.now().toISOString() },
    });
    this.readyAt.set(pod.metadata.uid, immediate ? 0 : this.clock.now().getTime() + this.readyDelayMs);
  }

  /** Fills in the status fields that depend on time and on other objects. */
  private materialise(resource: Resource, obj: Loose): Loose {
    if (resource === 'pods') return this.podStatus(obj);
    if (resource === 'deployments') return this.deploymentStatus(obj);
    if (resource === 'statefulsets') return this.statefulSetStatus(obj);
    if (resource === 'replicasets') {
      const pods = this.owned('pods', obj.metadata.namespace, obj.metadata.uid);
      obj.status = { replicas: pods.length, readyReplicas: pods.filter(isReady).length };
    }
    return obj;
  }

  private podStatus(pod: Loose): Loose {
    const readyAt = this.readyAt.get(pod.metadata.uid);
    if (readyAt === undefined) return pod;
    if (pod.metadata.annotations?.[CRASH_LOOP] === 'true') return this.crashLooping(pod);
    const ready = readyAt <= this.clock.now().getTime();
    const previous = new Map((pod.status.containerStatuses ?? []).map((c: Loose) => [c.name, c]));
    pod.status.conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
    pod.status.containerStatuses = (pod.spec.containers ?? []).map((c: Loose) => ({
      restartCount: 0,
      ...((previous.get(c.name) as Loose) ?? {}),
      name: c.name,
      image: c.image,
      ready,
      state: ready
        ? { running: { startedAt: pod.status.startTime } }
        : { waiting: { reason: 'ContainerCreating' } },
    }));
    return pod;
  }

  /**
   * A pod whose template says it crashes (the playground's bad rollout): its containers exit a few seconds
   * after each start and the kubelet backs off, restarting one every 30 s, as `kubectl get pods` shows it.
   */
  private crashLooping(pod: Loose): Loose {
    const started = Date.parse(pod.status.startTime);
    const now = this.clock.now().getTime();
    const restarts = Math.max(1, Math.floor((now - started) / 30_000));
    const lastEnd = new Date(Math.max(started, now - 10_000)).toISOString();
    pod.status.conditions = [{ type: 'Ready', status: 'False' }];
    pod.status.containerStatuses = (pod.spec.containers ?? []).map((c: Loose) => ({
      name: c.name,
      image: c.image,
      ready: false,
      restartCount: restarts,
      state: {
        waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${c.name}` },
      },
      lastState: { terminated: { reason: 'Error', exitCode: 1, startedAt: lastEnd, finishedAt: lastEnd } },
    }));
    return pod;
  }

  private workloadPods(obj: Loose, kind: 'deployments' | 'statefulsets'): { all: Loose[]; updated: Loose[] } {
    const ns = obj.metadata.namespace;
    if (kind === 'statefulsets') {
      const all = this.owned('pods', ns, obj.metadata.uid);
      const rev = obj.status?.updateRevision;
      return { all, updated: all.filter((p) => p.metadata.labels?.['controller-revision-hash'] === rev) };
    }
    const sets = this.owned('replicasets', ns, obj.metadata.uid);
    const current = sets.find(
      (rs) => rs.metadata.annotations?.[REVISION] === obj.metadata.annotations?.[REVISION],
    );
    const podsOf = (rs: Loose) => this.owned('pods', ns, rs.metadata.uid);
    return { all: sets.flatMap(podsOf), updated: current ? podsOf(current) : [] };
  }

  private deploymentStatus(d: Loose): Loose {
    const { all, updated } = this.workloadPods(d, 'deployments');
    const available = updated.filter(isReady).length;
    const complete = updated.length === (d.spec.replicas ?? 1) && available === updated.length;
    d.status = {
      observedGeneration: d.metadata.generation,
      replicas: all.length,
      updatedReplicas: updated.length,
      readyReplicas: all.filter(isReady).length,
      availableReplicas: all.filter(isReady).length,
      unavailableReplicas: all.length - all.filter(isReady).length,
      conditions: [
        { type: 'Available', status: available > 0 ? 'True' : 'False' },
        {
          type: 'Progressing',
          status: 'True',
          reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        },
      ],
    };
    return d;
  }

  private statefulSetStatus(ss: Loose): Loose {
    const { all, updated } = this.workloadPods(ss, 'statefulsets');
    const ready = all.filter(isReady).length;
    const done = updated.length === (ss.spec.replicas ?? 1) && updated.every(isReady);
    ss.status = {
      observedGeneration: ss.metadata.generation,
      replicas: all.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: done ? updated.length : all.length - updated.length,
      updatedReplicas: updated.length,
      updateRevision: ss.status?.updateRevision,
      currentRevision: done
        ? ss.status?.updateRevision
        : (ss.status?.currentRevision ?? ss.status?.updateRevision),
    };
    return ss;
  }
}

function isReady(pod: Loose): boolean {
  return (pod.status?.conditions ?? []).some((c: Loose) => c.type === 'Ready' && c.status === 'True');
}

function ownerRef(owner: Loose): Loose {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
  };
}

export function templateHash(template: Loose): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}
