import type { Alert } from '../../../src/domain/index.ts';

/** An Alertmanager-shaped alert for correlation tests; labels override the defaults. */
export function alert(labels: Record<string, string>, overrides: Partial<Alert> = {}): Alert {
  const all = { alertname: 'KubePodCrashLooping', cluster: 'homelab', namespace: 'shop', ...labels };
  return {
    source: 'alertmanager',
    fingerprint: Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    status: 'firing',
    name: all.alertname,
    labels: all,
    annotations: {},
    startsAt: '2025-01-01T10:00:00.000Z',
    receivedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A pod name as a Deployment's ReplicaSet generates it: `<deployment>-<hash>-<suffix>`. */
export function replicaSetPod(deployment: string, n: number): string {
  let suffix = '';
  let rest = n + 1_000;
  for (let i = 0; i < 5; i++) {
    suffix += SAFE[rest % SAFE.length];
    rest = Math.floor(rest / SAFE.length);
  }
  return `${deployment}-5d8f7c9b6-${suffix}`;
}
