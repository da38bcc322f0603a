import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsSchema } from '../../src/domain/index.ts';
import { orientDeterministically } from '../../src/orient/index.ts';
import {
  crashloopAlert,
  crashloopFacts,
  crashloopIncident,
  memoryAlert,
  memoryFacts,
  memoryIncident,
  NOW,
} from '../fixtures/orient/story.ts';

const oomAlert = {
  ...crashloopAlert,
  name: 'KubeContainerOOMKilled',
  labels: { ...crashloopAlert.labels, reason: 'OOMKilled' },
  annotations: { summary: 'Container api was OOMKilled' },
};

describe('orientDeterministically', () => {
  it('proposes a rollback when the api crash-loops right after a rollout', () => {
    const r = orientDeterministically({
      incident: crashloopIncident,
      facts: crashloopFacts,
      alerts: [crashloopAlert],
      now: NOW,
    });
    assert.equal(r.rule, 'crash-after-rollout');
    assert.deepEqual(r.outcome, {
      type: 'proposal',
      action: {
        kind: 'rollback-deployment',
        target: { cluster: 'homelab', namespace: 'staging', name: 'api' },
      },
      rationale: 'the trouble started right after a rollout; the previous revision ran',
    });
    assert.match(r.summary, /11m5s after Deployment api was rolled out/);
  });

  it('proposes a rollback for OOMKilled right after a rollout too', () => {
    const r = orientDeterministically({
      incident: crashloopIncident,
      facts: crashloopFacts,
      alerts: [oomAlert],
      now: NOW,
    });
    assert.equal(r.outcome.type === 'proposal' && r.outcome.action.kind, 'rollback-deployment');
  });

  it('proposes a pod restart for OOMKilled with no recent rollout and names the memory limit', () => {
    const facts = factsSchema.parse({
      ...crashloopFacts,
      pod: { ...crashloopFacts.pod, restartCount: 1 },
      lastRolloutAt: '2026-11-20T10:00:00Z',
      metrics: [
        {
          name: 'kube_pod_container_resource_limits_memory_bytes',
          samples: [{ at: NOW.toISOString(), value: 512 * 2 ** 20 }],
        },
      ],
    });
    const r = orientDeterministically({ incident: crashloopIncident, facts, alerts: [oomAlert], now: NOW });
    assert.equal(r.rule, 'oomkilled-no-rollout');
    assert.equal(r.outcome.type === 'proposal' && r.outcome.action.kind, 'restart-pod');
    assert.match(r.summary, /memory limit \(512Mi\)/);
  });

  it('trusts the pod’s own termination reason and memory limit over the alert’s wording', () => {
    const oomFacts = (lastRestartAt: string) =>
      factsSchema.parse({
        ...crashloopFacts,
        lastRolloutAt: '2026-11-20T10:00:00Z',
        pod: {
          ...crashloopFacts.pod,
          restartCount: 1,
          lastRestartAt,
          lastTerminationReason: 'OOMKilled',
          memoryLimitBytes: 768 * 2 ** 20,
        },
        metrics: [
          {
            name: 'kube_pod_container_resource_limits_memory_bytes',
            samples: [{ at: NOW.toISOString(), value: 512 * 2 ** 20 }],
          },
        ],
      });
    // The alert only says "crash looping"; Kubernetes says the last exit, a minute ago, was OOMKilled.
    const r = orientDeterministically({
      incident: crashloopIncident,
      facts: oomFacts(new Date(NOW.getTime() - 60_000).toISOString()),
      alerts: [crashloopAlert],
      now: NOW,
    });
    assert.equal(r.rule, 'oomkilled-no-rollout');
    assert.match(r.summary, /memory limit \(768Mi\)/, 'the pod spec’s limit, not a metric’s');
    assert.ok(r.suspectedCause?.evidence.some((e) => e.excerpt.endsWith(': OOMKilled')));
    // An OOMKill from yesterday does not explain today's crash loop: the alert's guess stands.
    const old = orientDeterministically({
      incident: crashloopIncident,
      facts: oomFacts(new Date(NOW.getTime() - 86_400_000).toISOString()),
      alerts: [crashloopAlert],
      now: NOW,
    });
    assert.equal(old.rule, 'crashloop');
    // A recent exit for another reason overrides an alert that says OOM.
    const error = orientDeterministically({
      incident: crashloopIncident,
      facts: factsSchema.parse({
        ...oomFacts(new Date(NOW.getTime() - 60_000).toISOString()),
        pod: {
          ...crashloopFacts.pod,
          lastRestartAt: new Date(NOW.getTime() - 60_000).toISOString(),
          lastTerminationReason: 'Error',
        },
      }),
      alerts: [
        { ...oomAlert, name: 'KubePodCrashLooping', annotations: { summary: 'crash looping, maybe OOM' } },
      ],
      now: NOW,
    });
    assert.equal(error.rule, 'crashloop');
  });

  it('explains the backup window and proposes nothing for postgres memory at 02:17', () => {
    const r = orientDeterministically({
      incident: memoryIncident,
      facts: memoryFacts,
      alerts: [memoryAlert],
      now: NOW,
    });
    assert.equal(r.rule, 'memory-high-inside-window');
    assert.equal(r.outcome.type, 'no-action');
    assert.match(r.summary, /backup window "postgres-backup"/);
    assert.ok(r.suspectedCause?.evidence.some((e) => e.excerpt.includes('databases/postgres-backup')));
  });

  it('says a running backup Job is still running instead of inventing an end for it', () => {
    const late = new Date('2026-11-27T03:10:00Z');
    const facts = factsSchema.parse({
      ...memoryFacts,
      windows: [
        {
          name: 'backup-job:databases/postgres-backup-29404920',
          kind: 'backup',
          start: '2026-11-27T02:00:00Z',
          end: '2026-11-27T03:25:00Z',
          blocks: 'all',
          source: { type: 'cronjob', ref: 'databases/postgres-backup' },
          job: { name: 'postgres-backup-29404920', startedAt: '2026-11-27T02:00:00Z', state: 'running' },
        },
      ],
    });
    const r = orientDeterministically({ incident: memoryIncident, facts, alerts: [memoryAlert], now: late });
    assert.equal(r.rule, 'memory-high-inside-window');
    assert.match(r.summary, /2026-11-27T02:00:00Z – still running \(Job postgres-backup-29404920\)/);
    assert.equal(r.outcome.type === 'no-action' && /while its Job runs/.test(r.outcome.why), true);
  });

  it('does not treat memory outside the window as explained', () => {
    const after = new Date('2026-11-27T03:30:00Z');
    const r = orientDeterministically({
      incident: memoryIncident,
      facts: memoryFacts,
      alerts: [memoryAlert],
      now: after,
    });
    assert.notEqual(r.rule, 'memory-high-inside-window');
    assert.equal(r.outcome.type, 'needs-human');
  });

  it('proposes a pod restart for a crash loop with no recent rollout', () => {
    const facts = factsSchema.parse({ ...crashloopFacts, lastRolloutAt: undefined });
    const r = orientDeterministically({
      incident: crashloopIncident,
      facts,
      alerts: [crashloopAlert],
      now: NOW,
    });
    assert.equal(r.rule, 'crashloop');
    assert.deepEqual(r.outcome.type === 'proposal' && r.outcome.action, {
      kind: 'restart-pod',
      target: { cluster: 'homelab', namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k' },
    });
  });

  it('never proposes a Deployment rollback for a StatefulSet that crashes after a rollout', () => {
    const facts = factsSchema.parse({ ...memoryFacts, windows: [], lastRolloutAt: '2026-11-27T02:10:00Z' });
    const alert = {
      ...crashloopAlert,
      labels: { ...crashloopAlert.labels, namespace: 'databases', pod: 'postgres-0' },
    };
    const r = orientDeterministically({ incident: memoryIncident, facts, alerts: [alert], now: NOW });
    assert.equal(r.outcome.type === 'proposal' && r.outcome.action.kind, 'restart-pod');
  });

  it('proposes no restart for a pod OOMKilled again and again: it is a leak or a low limit, and says so', () => {
    const facts = factsSchema.parse({
      ...crashloopFacts,
      lastRolloutAt: '2026-11-20T10:00:00Z',
      pod: {
        ...crashloopFacts.pod,
        restartCount: 9,
        lastRestartAt: new Date(NOW.getTime() - 60_000).toISOString(),
        lastTerminationReason: 'OOMKilled',
        memoryLimitBytes: 2 ** 30,
      },
    });
    const r = orientDeterministically({ incident: crashloopIncident, facts, alerts: [oomAlert], now: NOW });
    assert.equal(r.rule, 'oomkilled-restart-loop');
    assert.equal(r.outcome.type, 'needs-human');
    assert.match(r.summary, /9 restarts/);
    assert.match(r.summary, /memory leak or a limit set too low/);
    assert.match(r.outcome.type === 'needs-human' ? r.outcome.why : '', /raise the memory limit \(1\.0Gi\)/);
  });

  it('proposes nothing per workload when the incident is part of an alert storm', () => {
    const stormy = orientDeterministically({
      incident: { ...crashloopIncident, storm: true },
      facts: crashloopFacts,
      alerts: [crashloopAlert],
      now: NOW,
    });
    assert.equal(stormy.rule, 'storm');
    assert.equal(stormy.outcome.type, 'needs-human');
    assert.match(stormy.summary, /shared cause/);
    // The facts carry the storm flag too (the gate re-reads them); either one is enough.
    const fromFacts = orientDeterministically({
      incident: crashloopIncident,
      facts: factsSchema.parse({ ...crashloopFacts, storm: true }),
      alerts: [crashloopAlert],
      now: NOW,
    });
    assert.equal(fromFacts.outcome.type, 'needs-human');
  });

  it('takes the workload from the pod’s owner in the API, not from the incident’s guess by name', () => {
    // A pod whose name does not follow the ReplicaSet pattern: correlation could only call it a Pod.
    const incident = { ...crashloopIncident, workload: { kind: 'Pod' as const, name: 'api-rev2-7xk2p' } };
    const facts = factsSchema.parse({
      ...crashloopFacts,
      pod: { ...crashloopFacts.pod, name: 'api-rev2-7xk2p' },
      owner: { kind: 'Deployment', name: 'api' },
    });
    const r = orientDeterministically({ incident, facts, alerts: [crashloopAlert], now: NOW });
    assert.equal(r.rule, 'crash-after-rollout');
    assert.deepEqual(r.outcome.type === 'proposal' && r.outcome.action, {
      kind: 'rollback-deployment',
      target: { cluster: 'homelab', namespace: 'staging', name: 'api' },
    });
  });

  it('says a human is needed when no rule matches', () => {
    const alert = { ...crashloopAlert, name: 'KubeJobFailed', labels: {}, annotations: {} };
    const r = orientDeterministically({
      incident: crashloopIncident,
      facts: crashloopFacts,
      alerts: [alert],
      now: NOW,
    });
    assert.equal(r.rule, 'unknown');
    assert.equal(r.outcome.type, 'needs-human');
  });
});
