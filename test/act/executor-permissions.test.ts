import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { EXECUTOR_CALLS, permissionKey } from '../../src/act/index.ts';
import { ACTION_KINDS, type Action } from '../../src/domain/index.ts';
import { deployment, statefulSet } from '../fakes/kube-api-server.ts';
import { harness, permit } from './act-harness.ts';

const declared = [...new Set(Object.values(EXECUTOR_CALLS).flat().map(permissionKey))].sort();

describe('the executor calls exactly the permissions it declares', () => {
  it('every catalog action runs end to end under a token holding only the declared permissions, and uses all of them', async () => {
    const grants = Object.values(EXECUTOR_CALLS).flat();
    const h = await harness({ grants });
    try {
      h.api.seed(deployment('shop', 'web', { image: 'web:1.4.2' }), statefulSet('databases', 'postgres'), {
        kind: 'ConfigMap',
        metadata: { name: 'web-config', namespace: 'shop' },
        data: { LOG_LEVEL: 'info' },
      });
      await h.api
        .kubeConfig()
        .makeApiClient(AppsV1Api)
        .patchNamespacedDeployment(
          {
            name: 'web',
            namespace: 'shop',
            body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1.5.0' }] } } } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
        );
      const t = { cluster: 'default' };
      const actions: Action[] = [
        {
          kind: 'restart-pod',
          target: { ...t, namespace: 'shop', pod: h.api.store.list('pods', 'shop')[0].metadata.name },
        },
        { kind: 'restart-pod', target: { ...t, namespace: 'databases', pod: 'postgres-0' } },
        {
          kind: 'rollout-restart',
          target: { ...t, namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
        },
        {
          kind: 'rollout-restart',
          target: { ...t, namespace: 'databases', workloadKind: 'StatefulSet', name: 'postgres' },
        },
        { kind: 'rollback-deployment', target: { ...t, namespace: 'shop', name: 'web' } },
        {
          kind: 'scale',
          target: { ...t, namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
          replicas: 3,
        },
        {
          kind: 'scale',
          target: { ...t, namespace: 'databases', workloadKind: 'StatefulSet', name: 'postgres' },
          replicas: 2,
        },
        {
          kind: 'patch-configmap',
          target: { ...t, namespace: 'shop', name: 'web-config' },
          data: { LOG_LEVEL: 'debug' },
        },
      ];
      assert.deepEqual([...new Set(actions.map((a) => a.kind))].sort(), [...ACTION_KINDS].sort());
      h.api.requests.length = 0;
      for (const action of actions) {
        h.clock.advance(1_000);
        const outcome = await h.executor.execute(permit(action));
        assert.equal(outcome.status, 'succeeded', `${action.kind}: ${outcome.message}`);
        if (outcome.revert) {
          const back = await h.executor.revert(outcome.revert, permit(action));
          assert.equal(back.status, 'succeeded', `revert ${action.kind}: ${back.message}`);
        }
      }
      const used = [
        ...new Set(h.api.requests.filter((r) => r.user.includes('belay-writer')).map(permissionKey)),
      ].sort();
      assert.deepEqual(used, declared);
    } finally {
      await h.close();
    }
  });
});
