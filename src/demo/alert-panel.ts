import {
  alertmanagerWebhookBody,
  type FiredAlert,
  postToAlertmanagerReceiver,
} from './alertmanager-webhook.ts';
import type { DemoClock } from './demo-clock.ts';
import { CRASH_LOOP } from './kube/kube-api-objects.ts';
import type { Loose } from './kube/kube-api-patch.ts';
import type { KubeApiServer } from './kube/kube-api-server.ts';
import type { FakePrometheus } from './prometheus-server.ts';
import { DATABASES, FLEET, FLEET_SIZE, fleetName, SHOP, setImage } from './story-cluster.ts';

export const SCENARIOS = {
  memory: 'PodMemoryHigh on databases/postgres-0: 6.2 GB, above the 5 GB rule',
  'crash-loop': 'a bad rollout of shop/api (api:1.5.0), then KubePodCrashLooping',
  storm: `KubePodCrashLooping on ${FLEET_SIZE} Deployments of ${FLEET} at once`,
  resolve: 'every alert the panel fired stops firing',
} as const;
export type Scenario = keyof typeof SCENARIOS;

export interface AlertPanelOptions {
  readonly kube: KubeApiServer;
  readonly prometheus: FakePrometheus;
  readonly clock: DemoClock;
  readonly intakeUrl: () => string;
  readonly token: string;
}

/** What the panel fired, newest last, as the page lists it. */
export interface PanelEntry {
  readonly at: string;
  readonly scenario: Scenario;
  readonly status: number;
  readonly alerts: number;
}

/**
 * The playground's Alertmanager: each scenario sets the cluster and the metrics up the way the incident
 * would, then POSTs the webhook Alertmanager sends to Belay's intake. Alerts stay firing until `resolve`,
 * or until the same scenario fires again (the earlier alert resolves first, as when memory fell in between).
 */
export function createAlertPanel(options: AlertPanelOptions) {
  const { kube, prometheus, clock } = options;
  const firing = new Map<Scenario, FiredAlert[]>();
  const log: PanelEntry[] = [];

  async function send(name: string, alerts: readonly FiredAlert[]): Promise<number> {
    const response = await postToAlertmanagerReceiver(
      options.intakeUrl(),
      options.token,
      alertmanagerWebhookBody(name, alerts),
    );
    await response.body?.cancel();
    return response.status;
  }

  async function resolve(scenario: Scenario): Promise<number> {
    const alerts = firing.get(scenario) ?? [];
    firing.delete(scenario);
    if (alerts.length === 0) return 200;
    return send(
      alerts[0]?.name ?? '',
      alerts.map((a) => ({ ...a, status: 'resolved' as const })),
    );
  }

  /** postgres-0's working set at 6.2 GB for the ten minutes before now, as cAdvisor reports it. */
  function postgresMemory(now: Date): void {
    const end = Math.floor(now.getTime() / 1_000);
    const samples: [number, number][] = [];
    for (let t = end - 600; t <= end; t += 15) samples.push([t, 6.2e9 + ((t / 15) % 4) * 1e7]);
    prometheus.series.push({
      labels: {
        __name__: 'container_memory_working_set_bytes',
        namespace: DATABASES,
        pod: 'postgres-0',
        container: 'postgres',
      },
      samples,
    });
  }

  function alertsFor(scenario: Exclude<Scenario, 'resolve'>, now: Date): FiredAlert[] {
    const stamp = now.toISOString().slice(0, 16);
    const startsAt = new Date(now.getTime() - 60_000);
    if (scenario === 'memory') {
      postgresMemory(now);
      const labels = { namespace: DATABASES, pod: 'postgres-0', container: 'postgres', severity: 'critical' };
      return [{ name: 'PodMemoryHigh', labels, startsAt, fingerprint: `pg-memory-${stamp}` }];
    }
    if (scenario === 'crash-loop') {
      const api = kube.store.get('deployments', SHOP, 'api');
      const broken = api?.spec.template.metadata.annotations?.[CRASH_LOOP] === 'true';
      if (!broken) setImage(kube, SHOP, 'api', 'api:1.5.0', true);
      const pod = podsOf(kube, SHOP, 'api').find((p) => p.spec.containers[0].image === 'api:1.5.0');
      const labels = {
        namespace: SHOP,
        pod: pod?.metadata.name ?? 'api',
        deployment: 'api',
        severity: 'warning',
        reason: 'CrashLoopBackOff',
      };
      return [
        {
          name: 'KubePodCrashLooping',
          labels,
          startsAt: now,
          fingerprint: `api-crash-${stamp}`,
          summary: `Pod ${labels.pod} is in CrashLoopBackOff`,
        },
      ];
    }
    return Array.from({ length: FLEET_SIZE }, (_, i) => {
      const pod = podsOf(kube, FLEET, fleetName(i))[0]?.metadata.name ?? fleetName(i);
      const labels = { namespace: FLEET, pod, deployment: fleetName(i), severity: 'warning' };
      return { name: 'KubePodCrashLooping', labels, startsAt: now, fingerprint: `storm-${i}-${stamp}` };
    });
  }

  return {
    log: (): readonly PanelEntry[] => log,
    /** Fires a scenario now (on the demo clock); the status is what Belay's intake answered. */
    async fire(scenario: Scenario): Promise<PanelEntry> {
      if (!(scenario in SCENARIOS))
        throw new Error(`no scenario "${scenario}"; the panel knows ${Object.keys(SCENARIOS).join(', ')}`);
      const now = clock.now();
      let status: number;
      let count = 0;
      if (scenario === 'resolve') {
        const statuses = [];
        for (const s of [...firing.keys()]) {
          count += firing.get(s)?.length ?? 0;
          statuses.push(await resolve(s));
        }
        status = statuses.find((s) => s !== 200) ?? 200;
      } else {
        const earlier = await resolve(scenario);
        const alerts = alertsFor(scenario, now);
        count = alerts.length;
        status = earlier === 200 ? await send(alerts[0]?.name ?? '', alerts) : earlier;
        if (status === 200) firing.set(scenario, alerts);
      }
      const entry = { at: now.toISOString(), scenario, status, alerts: count };
      log.push(entry);
      return entry;
    },
  };
}

export type AlertPanel = ReturnType<typeof createAlertPanel>;

function podsOf(kube: KubeApiServer, namespace: string, deployment: string): Loose[] {
  return kube.store
    .list('pods', namespace)
    .filter((p) => p.metadata.labels?.app === deployment)
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
}
