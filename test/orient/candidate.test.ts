import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsSchema } from '../../src/domain/index.ts';
import { checkCandidate } from '../../src/orient/index.ts';
import { crashloopFacts, crashloopIncident, memoryFacts, memoryIncident } from '../fixtures/orient/story.ts';

const inStaging = { namespace: 'staging' };

describe('checkCandidate', () => {
  it('accepts a catalog action on the incident target and fills in the incident cluster', () => {
    const r = checkCandidate(
      { kind: 'restart-pod', target: { ...inStaging, pod: 'api-7d9f8b6c5-x2x9k' } },
      crashloopIncident,
      crashloopFacts,
    );
    assert.deepEqual(r, {
      ok: true,
      action: {
        kind: 'restart-pod',
        target: { cluster: 'homelab', namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k' },
      },
    });
  });

  const refused: [string, unknown, RegExp][] = [
    [
      'a never-list action',
      { kind: 'delete-namespace', target: { namespace: 'production' } },
      /never:delete-stateful/,
    ],
    [
      'a secrets change',
      { kind: 'rotate-secret', target: { ...inStaging, name: 'db' } },
      /never:secrets-rbac-iam/,
    ],
    ['an out-of-catalog kind', { kind: 'cordon-node', target: { name: 'node-1' } }, /^catalog:/],
    ['a plain string', 'kubectl delete ns production', /never:delete-stateful/],
    [
      'a malformed catalog action',
      { kind: 'scale', target: { ...inStaging, name: 'api' } },
      /workloadKind|replicas/,
    ],
    [
      'another namespace',
      { kind: 'restart-pod', target: { namespace: 'production', pod: 'api-1' } },
      /namespace production/,
    ],
    [
      'another cluster',
      { kind: 'rollback-deployment', target: { cluster: 'prod', ...inStaging, name: 'api' } },
      /cluster prod/,
    ],
    [
      'another workload',
      { kind: 'rollback-deployment', target: { ...inStaging, name: 'web' } },
      /Deployment web, not Deployment api/,
    ],
    [
      'a pod of another workload',
      { kind: 'restart-pod', target: { ...inStaging, pod: 'web-7d9f8b6c5-x2x9k' } },
      /not part of/,
    ],
    [
      'scale everything to zero',
      { kind: 'scale', target: { ...inStaging, workloadKind: 'Deployment', name: 'web' }, replicas: 0 },
      /outside the incident/,
    ],
  ];
  for (const [name, raw, reason] of refused) {
    it(`refuses ${name} and says a human is needed`, () => {
      const r = checkCandidate(raw, crashloopIncident, crashloopFacts);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.outcome.type, 'needs-human');
      assert.match(r.rejection.reason, reason);
    });
  }

  it('recognises the ordinal pods of a StatefulSet and nothing else', () => {
    const ok = checkCandidate(
      { kind: 'restart-pod', target: { namespace: 'databases', pod: 'postgres-1' } },
      memoryIncident,
      memoryFacts,
    );
    assert.equal(ok.ok, true);
    const no = checkCandidate(
      { kind: 'restart-pod', target: { namespace: 'databases', pod: 'postgres-backup-29123' } },
      memoryIncident,
      memoryFacts,
    );
    assert.equal(no.ok, false);
  });

  it('judges a pod incident by the owner the API reports for that pod, and by nothing wider', () => {
    // Correlation could not place `api-rev2-7xk2p` by its name, so the incident is about a Pod.
    const incident = { ...crashloopIncident, workload: { kind: 'Pod' as const, name: 'api-rev2-7xk2p' } };
    const facts = factsSchema.parse({
      ...crashloopFacts,
      pod: { ...crashloopFacts.pod, name: 'api-rev2-7xk2p' },
      owner: { kind: 'Deployment', name: 'api' },
    });
    const rollback = { kind: 'rollback-deployment', target: { ...inStaging, name: 'api' } };
    assert.equal(checkCandidate(rollback, incident, facts).ok, true);
    const restart = { kind: 'restart-pod', target: { ...inStaging, pod: 'api-rev2-7xk2p' } };
    assert.equal(checkCandidate(restart, incident, facts).ok, true);
    const other = { kind: 'rollback-deployment', target: { ...inStaging, name: 'billing' } };
    assert.equal(checkCandidate(other, incident, facts).ok, false);
    // Facts about another pod do not lend their owner to this incident.
    const elsewhere = factsSchema.parse({ ...facts, pod: { ...facts.pod, name: 'web-0' } });
    assert.equal(checkCandidate(rollback, incident, elsewhere).ok, false);
  });
});
