import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXECUTOR_CALLS, permissionKey } from '../../src/act/index.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { LEASE_PERMISSIONS } from '../../src/kube/lease-lock.ts';
import { loadManifests, type Manifest } from './deploy-manifests.ts';

function granted(role: Manifest): string[] {
  const keys = new Set<string>();
  for (const rule of role.rules ?? [])
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        for (const verb of rule.verbs ?? []) keys.add(permissionKey({ group, resource, verb }));
  return [...keys].sort();
}

const keys = (list: readonly { group: string; resource: string; verb: string }[]) =>
  [...new Set(list.map(permissionKey))].sort();

describe('RBAC in deploy/ matches what the code calls', () => {
  it('the reader ClusterRole grants exactly READER_PERMISSIONS, derived from the reader', async () => {
    const role = (await loadManifests()).find(
      (m) => m.kind === 'ClusterRole' && m.metadata.name === 'belay-reader',
    );
    assert.deepEqual(granted(role as Manifest), keys(READER_PERMISSIONS));
  });

  it('the writer ClusterRole grants exactly the calls the executors declare (and the executor test proves they make)', async () => {
    const role = (await loadManifests()).find(
      (m) => m.kind === 'ClusterRole' && m.metadata.name === 'belay-writer',
    );
    assert.deepEqual(granted(role as Manifest), keys(Object.values(EXECUTOR_CALLS).flat()));
  });

  it("the leader Role grants exactly LEASE_PERMISSIONS, in Belay's namespace, to the writer identity only", async () => {
    const manifests = await loadManifests();
    const role = manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'belay-leader') as Manifest;
    assert.deepEqual(granted(role), keys(LEASE_PERMISSIONS));
    assert.equal(role.metadata.namespace, 'belay');
    const bindings = manifests.filter((m) => m.roleRef?.name === 'belay-leader');
    assert.deepEqual(
      bindings.map((b) => [b.kind, b.metadata.namespace, b.roleRef.kind, b.subjects]),
      [
        [
          'RoleBinding',
          'belay',
          'Role',
          [{ kind: 'ServiceAccount', name: 'belay-writer', namespace: 'belay' }],
        ],
      ],
    );
  });

  it('no role touches Secrets, uses wildcards, or lets the reader write', async () => {
    const roles = (await loadManifests()).filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role');
    for (const role of roles) {
      for (const key of granted(role)) {
        assert.doesNotMatch(key, /secrets|\*/, `${role.metadata.name}: ${key}`);
        assert.doesNotMatch(key, /pods\/exec|escalate|bind|impersonate/, `${role.metadata.name}: ${key}`);
      }
    }
    const reader = roles.find((r) => r.metadata.name === 'belay-reader') as Manifest;
    assert.ok(granted(reader).every((k) => /:(get|list)$/.test(k)));
  });

  it('the reader is bound cluster-wide to its ServiceAccount; the writer only per namespace', async () => {
    const manifests = await loadManifests();
    const bindings = manifests.filter((m) => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding');
    const subjectsOf = (role: string) => bindings.filter((b) => b.roleRef.name === role);
    assert.deepEqual(
      subjectsOf('belay-reader').map((b) => [b.kind, b.subjects]),
      [['ClusterRoleBinding', [{ kind: 'ServiceAccount', name: 'belay-reader', namespace: 'belay' }]]],
    );
    for (const b of subjectsOf('belay-writer')) {
      assert.equal(b.kind, 'RoleBinding', 'never a ClusterRoleBinding for writes');
      assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: 'belay-writer', namespace: 'belay' }]);
    }
    assert.ok(subjectsOf('belay-writer').length >= 1);
  });
});
