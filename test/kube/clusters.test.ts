import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { createExecutor, executorSettingsFrom } from '../../src/act/index.ts';
import { kubernetesSectionSchema } from '../../src/config/sections/kubernetes.ts';
import { loadClusters } from '../../src/kube/index.ts';
import { permit } from '../act/act-harness.ts';
import { fakeClock } from '../fakes/fake-clock.ts';
import { deployment, FakeKubeApi } from '../fakes/kube-api-server.ts';

function kubeconfig(entries: { context: string; server: string; token: string }[]) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': entries[0]?.context,
    clusters: entries.map((e) => ({
      name: e.context,
      cluster: { server: e.server, 'insecure-skip-tls-verify': true },
    })),
    users: entries.map((e) => ({ name: `${e.context}-user`, user: { token: e.token } })),
    contexts: entries.map((e) => ({
      name: e.context,
      context: { cluster: e.context, user: `${e.context}-user` },
    })),
  });
}

describe('clusters from kubeconfig contexts', () => {
  const clock = fakeClock();
  let eu: FakeKubeApi;
  let us: FakeKubeApi;
  let dir: string;
  const tokens = {
    reader: { user: 'belay-reader', grants: 'all' as const },
    writer: { user: 'belay-writer', grants: 'all' as const },
  };
  before(async () => {
    eu = await FakeKubeApi.start({ clock, tokens });
    us = await FakeKubeApi.start({ clock, tokens });
    eu.seedPods('shop', 2, 'eu-web');
    us.seedPods('shop', 3, 'us-web');
    dir = await mkdtemp(join(tmpdir(), 'belay-kube-'));
    await writeFile(
      join(dir, 'read.yaml'),
      kubeconfig([
        { context: 'eu-prod', server: eu.url, token: 'reader' },
        { context: 'us-prod', server: us.url, token: 'reader' },
      ]),
    );
    await writeFile(
      join(dir, 'write.yaml'),
      kubeconfig([{ context: 'eu-prod', server: eu.url, token: 'writer' }]),
    );
  });
  after(async () => {
    await Promise.all([eu.close(), us.close(), rm(dir, { recursive: true, force: true })]);
  });

  const section = () =>
    kubernetesSectionSchema.parse({
      clusters: [
        {
          name: 'eu',
          kubeconfig: join(dir, 'read.yaml'),
          context: 'eu-prod',
          write: { kubeconfig: join(dir, 'write.yaml') },
        },
        { name: 'us', kubeconfig: join(dir, 'read.yaml'), context: 'us-prod' },
      ],
    });

  it("an alert's cluster label selects the context; reads and writes use their own identities", async () => {
    const clusters = loadClusters(section());
    assert.deepEqual(clusters.clusterFor({ cluster: 'us' }), { cluster: 'us' });
    assert.deepEqual(clusters.clusterFor({}), { cluster: 'eu' }, 'no label: the first cluster');
    const unknown = clusters.clusterFor({ cluster: 'ap' });
    assert.ok('error' in unknown && /cluster "ap".*knows eu, us/.test(unknown.error));

    const usPods = await clusters.readerFor('us')?.list('Pod', 'shop');
    assert.deepEqual(
      usPods?.items.map((p) => p.metadata?.labels?.app),
      ['us-web', 'us-web', 'us-web'],
    );
    assert.equal(us.requests.at(-1)?.user, 'belay-reader');

    const executor = createExecutor({
      writerFor: clusters.writerFor,
      ...executorSettingsFrom(section(), { configMaps: [] }, clock, (ms) => clock.sleep(ms)),
    });
    eu.seed(deployment('shop', 'api', { replicas: 1 }));
    const outcome = await executor.execute(
      permit({
        kind: 'scale',
        target: { cluster: 'eu', namespace: 'shop', workloadKind: 'Deployment', name: 'api' },
        replicas: 2,
      }),
    );
    assert.equal(outcome.status, 'succeeded', outcome.message);
    assert.deepEqual([...new Set(eu.writes().map((r) => r.user))], ['belay-writer']);
    assert.equal(us.writes().length, 0);
  });

  it('without a write identity, writes use the read identity (a single ServiceAccount setup)', () => {
    const clusters = loadClusters(section());
    assert.equal(clusters.writerFor('us')?.getCurrentUser()?.token, 'reader');
    assert.equal(clusters.writerFor('eu')?.getCurrentUser()?.token, 'writer');
  });

  it('a context missing from the kubeconfig fails at start-up, naming the cluster and the contexts it has', () => {
    const bad = kubernetesSectionSchema.parse({
      clusters: [{ name: 'eu', kubeconfig: join(dir, 'read.yaml'), context: 'eu-staging' }],
    });
    assert.throws(
      () => loadClusters(bad),
      /kubernetes.clusters "eu": context "eu-staging" is not in .*read.yaml \(it has: eu-prod, us-prod\)/,
    );
  });

  it('the config section refuses what it cannot use', () => {
    const issues = (input: unknown) => {
      const r = kubernetesSectionSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    assert.deepEqual(issues({ clusters: [{ name: 'a', inCluster: true, context: 'x' }] }), [
      'use either inCluster or kubeconfig/context, not both',
    ]);
    assert.deepEqual(issues({ clusters: [{ name: 'a' }, { name: 'a' }] }), [
      'each cluster name must be unique',
    ]);
    assert.match(
      issues({ clusters: [{ name: 'a' }], defaultCluster: 'b' })[0] ?? '',
      /"b" is not one of the clusters \(a\)/,
    );
    assert.match(issues({ requestTimeout: 'soon' })[0] ?? '', /not a duration/);
    assert.deepEqual(
      issues({ clusters: [{ name: 'a', kubeconfg: '/x' }] }).length,
      1,
      'a misspelt key fails',
    );
    const defaults = kubernetesSectionSchema.parse(undefined);
    assert.deepEqual(defaults.clusters, [{ name: 'default', inCluster: true }]);
    assert.equal(defaults.verification.timeout, 300_000);
    assert.equal(defaults.backups.failClosed, true);
  });
});
