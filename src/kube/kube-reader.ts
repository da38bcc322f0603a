import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1ControllerRevision,
  type V1CronJob,
  type V1DaemonSet,
  type V1Deployment,
  type V1Job,
  type V1Namespace,
  type V1Pod,
  type V1ReplicaSet,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { requestTimeoutOptions } from './request-timeout.ts';

/** What the reader can read, by kind. Secrets are deliberately absent. */
export interface ReadableKinds {
  Pod: V1Pod;
  Event: CoreV1Event;
  Namespace: V1Namespace;
  ReplicaSet: V1ReplicaSet;
  Deployment: V1Deployment;
  StatefulSet: V1StatefulSet;
  /** A StatefulSet's (or DaemonSet's) template revisions: when a new one appeared, its pods were rolled. */
  ControllerRevision: V1ControllerRevision;
  DaemonSet: V1DaemonSet;
  CronJob: V1CronJob;
  Job: V1Job;
}
export type ReadableKind = keyof ReadableKinds;

export interface ListQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size; the reader follows `continue` until `max` items or the end. */
  readonly limit?: number;
  readonly max?: number;
}

export interface ListResult<T> {
  readonly items: T[];
  /** Items the API server still had when the reader stopped at `max`; undefined when it did not say. */
  readonly remaining?: number;
  readonly complete: boolean;
}

export interface LogQuery {
  readonly container?: string;
  readonly previous?: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
}

/**
 * The only Kubernetes client the investigation tools hold: get, list and log. The client-node API objects
 * live in this closure, so nothing that holds a reader can reach a write method.
 */
export interface KubeReader {
  get<K extends ReadableKind>(kind: K, namespace: string, name: string): Promise<ReadableKinds[K]>;
  list<K extends ReadableKind>(
    kind: K,
    namespace: string,
    query?: ListQuery,
  ): Promise<ListResult<ReadableKinds[K]>>;
  log(namespace: string, pod: string, query?: LogQuery): Promise<string>;
}

const KIND_RESOURCES: {
  readonly [K in ReadableKind]: { readonly group: string; readonly resource: string };
} = {
  Pod: { group: '', resource: 'pods' },
  Event: { group: '', resource: 'events' },
  Namespace: { group: '', resource: 'namespaces' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  ControllerRevision: { group: 'apps', resource: 'controllerrevisions' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Job: { group: 'batch', resource: 'jobs' },
};

/** Every (group, resource, verb) the reader can call; deploy/'s read-only ClusterRole must grant exactly these. */
export const READER_PERMISSIONS: readonly { group: string; resource: string; verb: string }[] = [
  ...Object.values(KIND_RESOURCES).flatMap(({ group, resource }) => [
    { group, resource, verb: 'get' },
    { group, resource, verb: 'list' },
  ]),
  { group: '', resource: 'pods/log', verb: 'get' },
];

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string; remainingItemCount?: number };
}
type Params = {
  namespace: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  _continue?: string;
};

export function createKubeReader(kubeConfig: KubeConfig, options: { requestTimeoutMs: number }): KubeReader {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const o = () => requestTimeoutOptions(options.requestTimeoutMs);
  const getters: { [K in ReadableKind]: (namespace: string, name: string) => Promise<ReadableKinds[K]> } = {
    Pod: (namespace, name) => core.readNamespacedPod({ namespace, name }, o()),
    Event: (namespace, name) => core.readNamespacedEvent({ namespace, name }, o()),
    Namespace: (_namespace, name) => core.readNamespace({ name }, o()),
    ReplicaSet: (namespace, name) => apps.readNamespacedReplicaSet({ namespace, name }, o()),
    Deployment: (namespace, name) => apps.readNamespacedDeployment({ namespace, name }, o()),
    StatefulSet: (namespace, name) => apps.readNamespacedStatefulSet({ namespace, name }, o()),
    ControllerRevision: (namespace, name) => apps.readNamespacedControllerRevision({ namespace, name }, o()),
    DaemonSet: (namespace, name) => apps.readNamespacedDaemonSet({ namespace, name }, o()),
    CronJob: (namespace, name) => batch.readNamespacedCronJob({ namespace, name }, o()),
    Job: (namespace, name) => batch.readNamespacedJob({ namespace, name }, o()),
  };
  const listers: { [K in ReadableKind]: (p: Params) => Promise<Page<ReadableKinds[K]>> } = {
    Pod: (p) => core.listNamespacedPod(p, o()),
    Event: (p) => core.listNamespacedEvent(p, o()),
    Namespace: ({ namespace: _ns, ...p }) => core.listNamespace(p, o()),
    ReplicaSet: (p) => apps.listNamespacedReplicaSet(p, o()),
    Deployment: (p) => apps.listNamespacedDeployment(p, o()),
    StatefulSet: (p) => apps.listNamespacedStatefulSet(p, o()),
    ControllerRevision: (p) => apps.listNamespacedControllerRevision(p, o()),
    DaemonSet: (p) => apps.listNamespacedDaemonSet(p, o()),
    CronJob: (p) => batch.listNamespacedCronJob(p, o()),
    Job: (p) => batch.listNamespacedJob(p, o()),
  };

  return Object.freeze({
    get: <K extends ReadableKind>(kind: K, namespace: string, name: string) => getters[kind](namespace, name),
    async list<K extends ReadableKind>(kind: K, namespace: string, query: ListQuery = {}) {
      const max = query.max ?? Number.POSITIVE_INFINITY;
      const items: ReadableKinds[K][] = [];
      let cont: string | undefined;
      for (;;) {
        const limit = Math.min(query.limit ?? 500, max - items.length);
        const page = (await listers[kind]({
          namespace,
          labelSelector: query.labelSelector,
          fieldSelector: query.fieldSelector,
          limit: Number.isFinite(limit) ? limit : undefined,
          _continue: cont,
        })) as Page<ReadableKinds[K]>;
        items.push(...page.items);
        cont = page.metadata?._continue || undefined;
        if (!cont) return { items, complete: true };
        if (items.length >= max)
          return { items, remaining: page.metadata?.remainingItemCount, complete: false };
      }
    },
    log: (namespace: string, pod: string, query: LogQuery = {}) =>
      core.readNamespacedPodLog({ namespace, name: pod, ...query }, o()),
  });
}
