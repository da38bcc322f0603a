import type { Clock } from '../domain/index.ts';
import { deployment, statefulSet } from './kube/kube-api-builders.ts';
import { backupCronJob, jobOf, jobStatus, scheduledJobName } from './kube/kube-api-jobs.ts';
import { CRASH_LOOP, REVISION } from './kube/kube-api-objects.ts';
import type { Loose } from './kube/kube-api-patch.ts';
import type { KubeApiServer } from './kube/kube-api-server.ts';

// The playground's cluster: the 02:17 story and its neighbours, as `kubectl get` would show them.

export const DATABASES = 'databases';
export const SHOP = 'shop';
export const FLEET = 'fleet';
/** The fleet's Deployments, enough of them failing at once to make a storm (stormWorkloads: 10). */
export const FLEET_SIZE = 12;
const BACKUP = 'postgres-backup';
/** How long the nightly backup runs: it starts at 02:00 and ends at 02:40. */
const BACKUP_RUN_MS = 40 * 60_000;
const DAY_MS = 24 * 3_600_000;

/** Seeds the cluster: postgres and its backup, web with two revisions and a PDB, api, and the fleet. */
export function seedStoryCluster(kube: KubeApiServer, clock: Clock): void {
  const postgres = statefulSet(DATABASES, 'postgres', { image: 'postgres:16.4' });
  postgres.spec.template.spec.containers[0].resources = {
    limits: { memory: '8Gi' },
    requests: { memory: '6Gi' },
  };
  kube.seed(
    { kind: 'Namespace', metadata: { name: DATABASES, labels: { tier: 'data' } } },
    { kind: 'Namespace', metadata: { name: SHOP } },
    { kind: 'Namespace', metadata: { name: FLEET } },
    postgres,
    backupCronJob(DATABASES, BACKUP),
    deployment(SHOP, 'web', { replicas: 2, image: 'web:2.3.0' }),
    {
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: SHOP },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
      status: { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 },
    },
    deployment(SHOP, 'api', { replicas: 2, image: 'api:1.4.0' }),
    ...Array.from({ length: FLEET_SIZE }, (_, i) => deployment(FLEET, fleetName(i), { replicas: 1 })),
  );
  // web's second revision: the ReplicaSet of 2.3.0 stays behind, scaled to zero, for a rollback.
  setImage(kube, SHOP, 'web', 'web:2.4.0');
  backdate(kube, clock.now());
  syncBackupJobs(kube, clock.now());
}

/**
 * A cluster that has been running for a while: what seeding just created dates from a week ago, web's
 * second revision from two days ago. Otherwise every workload would look freshly rolled out, and a crash
 * anywhere would read as "right after a rollout".
 */
function backdate(kube: KubeApiServer, now: Date): void {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const webCurrent = kube.store.get('deployments', SHOP, 'web')?.metadata.annotations?.[REVISION];
  for (const resource of [
    'deployments',
    'statefulsets',
    'replicasets',
    'controllerrevisions',
    'pods',
    'cronjobs',
  ] as const) {
    for (const obj of kube.store.list(resource, undefined)) {
      const recent =
        obj.metadata.namespace === SHOP &&
        (obj.metadata.labels?.app === 'web' || obj.metadata.name.startsWith('web')) &&
        (resource === 'pods' || obj.metadata.annotations?.[REVISION] === webCurrent);
      const at = ago(recent ? 2 : 7);
      obj.metadata.creationTimestamp = at;
      if (resource === 'pods') obj.status = { ...obj.status, startTime: at };
      kube.store.put(resource, obj);
    }
  }
}

export function fleetName(i: number): string {
  return `svc-${String(i + 1).padStart(2, '0')}`;
}

/**
 * The CronJob controller's work up to `now`: a Job for each of the last three nights' 02:00 runs, running
 * until 02:40 and complete after. Called whenever the demo clock moves, so a jump to 02:17 finds tonight's
 * backup running and a jump to 14:00 finds it done.
 */
export function syncBackupJobs(kube: KubeApiServer, now: Date): void {
  const cron = kube.store.get('cronjobs', DATABASES, BACKUP);
  if (!cron) return;
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T02:00:00Z`);
  for (const start of [today - 2 * DAY_MS, today - DAY_MS, today]) {
    if (start > now.getTime()) continue;
    const startTime = new Date(start).toISOString();
    const endedAt = new Date(start + BACKUP_RUN_MS).toISOString();
    const progress =
      now.getTime() < start + BACKUP_RUN_MS
        ? ({ state: 'running', startTime } as const)
        : ({ state: 'succeeded', startTime, endedAt } as const);
    const name = scheduledJobName(BACKUP, startTime);
    const existing = kube.store.get('jobs', DATABASES, name);
    if (!existing) kube.seed(jobOf(cron, name, progress));
    else if (JSON.stringify(existing.status) !== JSON.stringify(jobStatus(progress)))
      kube.store.put('jobs', { ...existing, status: jobStatus(progress) });
  }
}

/** `kubectl set image`: a new template, so the Deployment controller rolls out a new ReplicaSet. */
export function setImage(
  kube: KubeApiServer,
  namespace: string,
  name: string,
  image: string,
  crash = false,
): Loose {
  const current = kube.store.get('deployments', namespace, name);
  if (!current) throw new Error(`deployment ${namespace}/${name} is not in the playground's cluster`);
  const template = current.spec.template;
  template.spec.containers[0].image = image;
  template.metadata.annotations = { ...(template.metadata.annotations ?? {}) };
  if (crash) template.metadata.annotations[CRASH_LOOP] = 'true';
  else delete template.metadata.annotations[CRASH_LOOP];
  kube.store.put('deployments', current);
  kube.store.reconcile();
  return kube.store.get('deployments', namespace, name);
}

/** Pods, ReplicaSets and Jobs as `kubectl get` lists them, for the page's cluster panel. */
export function clusterSummary(kube: KubeApiServer): Loose {
  const pods = kube.store.list('pods', undefined).map((p) => {
    const statuses: Loose[] = p.status?.containerStatuses ?? [];
    const waiting = statuses.find((c) => c.state?.waiting)?.state.waiting.reason;
    const ready = statuses.filter((c) => c.ready).length;
    return {
      namespace: p.metadata.namespace,
      name: p.metadata.name,
      ready: `${ready}/${statuses.length}`,
      status: waiting ?? (ready === statuses.length ? 'Running' : 'NotReady'),
      restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
      image: p.spec?.containers?.[0]?.image ?? '',
      createdAt: p.metadata.creationTimestamp,
    };
  });
  const replicaSets = kube.store
    .list('replicasets', undefined)
    .filter((rs) => rs.metadata.namespace !== FLEET)
    .map((rs) => ({
      namespace: rs.metadata.namespace,
      name: rs.metadata.name,
      revision: rs.metadata.annotations?.[REVISION] ?? '',
      replicas: rs.spec.replicas ?? 0,
      image: rs.spec.template?.spec?.containers?.[0]?.image ?? '',
    }));
  const jobs = kube.store.list('jobs', undefined).map((j) => ({
    namespace: j.metadata.namespace,
    name: j.metadata.name,
    status: j.status?.active ? 'Running' : j.status?.succeeded ? 'Complete' : 'Failed',
    startTime: j.status?.startTime,
  }));
  return { pods, replicaSets, jobs };
}
