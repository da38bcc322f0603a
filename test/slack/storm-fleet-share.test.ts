import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fleetShare, type StormMember, stormMessage } from '../../src/slack/blocks/storm-message.ts';

/** 200 pods of 40 Deployments in 5 namespaces, 5 pods each. */
const members: StormMember[] = Array.from({ length: 40 }, (_, i) => ({
  id: `inc-${i}`,
  title: `KubePodCrashLooping in team-${i % 5}/svc-${i}`,
  namespace: `team-${i % 5}`,
  workload: `svc-${i}`,
  alert: 'KubePodCrashLooping',
  pods: Array.from({ length: 5 }, (_, p) => `svc-${i}-abc-${p}`),
}));
const fleet = { known: true, size: { pods: 1_240, namespaces: 12, workloads: 310 } } as const;

describe('the share of the fleet on the storm message', () => {
  it('reads "200 of 1,240 pods (16%) in 5 of 12 namespaces, 40 of 310 workloads"', () => {
    assert.equal(
      fleetShare(members, fleet),
      '200 of 1,240 pods (16%) in 5 of 12 namespaces, 40 of 310 workloads',
    );
    assert.match(
      JSON.stringify(stormMessage(members, fleet).blocks),
      /Share of the fleet:\* 200 of 1,240 pods/,
    );
  });

  it('says the fleet size is unknown, and why, when the cluster could not be read', () => {
    const unknown = { known: false, reason: 'the cluster could not be read (HTTP-Code: 403)' } as const;
    assert.equal(
      fleetShare(members.slice(0, 1), unknown),
      '5 pods in 1 namespace, 1 workload (fleet size unknown: the cluster could not be read (HTTP-Code: 403))',
    );
    assert.match(fleetShare(members, undefined), /fleet size unknown: it is not read\)$/);
  });

  it('never shows more than 100% when the fleet was read before the storm grew', () => {
    const small = { known: true, size: { pods: 100, namespaces: 3, workloads: 20 } } as const;
    assert.match(fleetShare(members, small), /^200 of 100 pods \(100%\)/);
  });
});
