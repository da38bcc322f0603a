import type { Alert, FactsInput, PolicyInput } from '../../src/domain/index.ts';
import { factsSchema, policySchema } from '../../src/domain/index.ts';

/** The operator's policy from the 02:17 story, as the example config writes it. */
export const storyPolicyInput: PolicyInput = {
  namespaceClasses: [
    {
      name: 'production-critical',
      critical: true,
      namespaces: ['databases', 'payments'],
      approvers: { users: ['U0DBA0001'], groups: ['S0ONCALL1'] },
    },
    { name: 'staging', namespaces: ['staging', 'dev-*'] },
    { name: 'standard' },
  ],
  defaultNamespaceClass: 'standard',
  rules: [
    {
      name: 'memory-pressure-restart',
      action: 'restart-pod',
      mode: 'suggest',
      when: {
        alert: { name: 'PodMemoryHigh' },
        metric: { name: 'container_memory_working_set_bytes', above: '5GB', for: '60s' },
        notInWindow: true,
        notRestartedWithin: '1h',
        namespaceClass: { notIn: ['production-critical'] },
      },
    },
    {
      name: 'crashloop-restart',
      action: 'restart-pod',
      mode: 'suggest',
      when: { alert: { name: 'KubePodCrashLooping' }, namespaceClass: { in: ['staging', 'standard'] } },
    },
  ],
};

export const storyPolicy = policySchema.parse(storyPolicyInput);

export function alert(name: string, labels: Record<string, string>, startsAt: string): Alert {
  return {
    source: 'alertmanager',
    fingerprint: `${name}-${labels.pod ?? labels.namespace}`,
    status: 'firing',
    name,
    labels: { alertname: name, ...labels },
    annotations: {},
    startsAt,
    receivedAt: startsAt,
  };
}

/** Memory samples every 15 s for the last `minutes`, all at `value`. */
export function memorySeries(at: string, value: number, minutes = 3) {
  const end = Date.parse(at);
  const samples = [];
  for (let t = end - minutes * 60_000; t <= end; t += 15_000)
    samples.push({ at: new Date(t).toISOString(), value });
  return { name: 'container_memory_working_set_bytes', samples };
}

export const backupWindow = {
  name: 'postgres-nightly-backup',
  kind: 'backup',
  start: '2026-03-14T02:00:00.000Z',
  end: '2026-03-14T02:45:00.000Z',
  blocks: 'all',
  source: { type: 'config', ref: 'belay.yaml windows/postgres-nightly-backup' },
} as const;

export function postgresFacts(at: string, extra: Partial<FactsInput> = {}) {
  return factsSchema.parse({
    cluster: 'default',
    namespace: 'databases',
    pod: { name: 'postgres-0', labels: { app: 'postgres' }, restartCount: 0 },
    owner: { kind: 'StatefulSet', name: 'postgres' },
    metrics: [memorySeries(at, 6.2e9)],
    ...extra,
  });
}

export function stagingFacts(pod: string, extra: Partial<FactsInput> = {}) {
  return factsSchema.parse({
    cluster: 'default',
    namespace: 'staging',
    pod: { name: pod, labels: { app: 'api' }, restartCount: 7 },
    owner: { kind: 'Deployment', name: 'api' },
    approvedBefore: ['restart-pod@Pod of Deployment'],
    ...extra,
  });
}

export const restartPostgres = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
};
export function restartStaging(pod: string) {
  return { kind: 'restart-pod', target: { cluster: 'default', namespace: 'staging', pod } };
}
