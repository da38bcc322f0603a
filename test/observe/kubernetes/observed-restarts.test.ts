import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { kubernetesSectionSchema } from '../../../src/config/sections/kubernetes.ts';
import { decide } from '../../../src/decide/index.ts';
import type { Action } from '../../../src/domain/index.ts';
import { occurrencesAt } from '../../../src/observe/calendar/index.ts';
import { backupSettingsFrom, gatherFacts } from '../../../src/observe/kubernetes/index.ts';
import { storyPolicy } from '../../support/story-policy.ts';
import { type ReadHarness, readHarness, seedShop } from './kube-fixtures.ts';

// What the cluster shows of restarts nobody asked Belay for: `kubectl delete pod`, `kubectl rollout
// restart`, a new image rolled out, a container that crashed. The fake API server runs the ReplicaSet,
// Deployment and StatefulSet controllers, so each of these leaves the traces the real cluster leaves.

const HOUR = 3_600_000;
const restartPostgres: Action = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
};
const rolloutWeb: Action = {
  kind: 'rollout-restart',
  target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
};

describe('facts list every restart of the target, whoever did it', () => {
  let h: ReadHarness;
  beforeEach(async () => {
    h = await readHarness();
    seedShop(h.api);
    // The workloads were created long ago; the afternoon starts three hours later.
    h.clock.advance(3 * HOUR);
  });
  afterEach(() => h.close());

  const factsFor = (action: Action) =>
    gatherFacts(
      {
        reader: h.reader,
        clock: h.clock,
        occurrencesAt,
        backups: backupSettingsFrom(kubernetesSectionSchema.parse({})),
        restartHorizonMs: HOUR,
      },
      action,
    );
  const hhmm = () => h.clock.now().toISOString().slice(11, 16);

  it('a freshly created workload has no restarts', async () => {
    const facts = await factsFor(restartPostgres);
    assert.deepEqual(facts.restarts, []);
  });

  it('kubectl delete pod postgres-0 ten minutes ago: recreated, and restart-pod is blocked naming it', async () => {
    h.api.store.delete('pods', 'databases', 'postgres-0');
    h.api.store.reconcile(true);
    const created = hhmm();
    h.clock.advance(10 * 60_000);
    const facts = await factsFor(restartPostgres);
    assert.deepEqual(facts.restarts, [
      {
        at: h.api.store.get('pods', 'databases', 'postgres-0').metadata.creationTimestamp,
        source: 'pod-recreated',
        subject: 'postgres-0',
        evidence: `pod created ${created} UTC`,
      },
    ]);
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: { type: 'manual', user: 'U0DBA0001' } },
      facts,
      h.clock.now(),
    );
    assert.equal(verdict.disposition, 'blocked');
    assert.match(
      verdict.reasons.find((r) => r.rule === 'rate-limit:pod')?.message ?? '',
      new RegExp(`postgres-0 was recreated 10 minutes ago \\(pod created ${created} UTC\\)`),
    );
  });

  it('kubectl rollout restart deployment/web: one restart of the workload, not one per new pod', async () => {
    const web = h.api.store.get('deployments', 'shop', 'web');
    web.spec.template.metadata.annotations = {
      'kubectl.kubernetes.io/restartedAt': h.clock.now().toISOString(),
    };
    h.api.store.put('deployments', web);
    h.api.store.reconcile(true);
    const stamped = hhmm();
    h.clock.advance(5 * 60_000);
    const newPod = h.api.store
      .list('pods', 'shop')
      .find(
        (p) => Date.parse(p.metadata.creationTimestamp) > Date.parse(web.metadata.creationTimestamp) + HOUR,
      );
    assert.ok(newPod, 'the rollout made new pods');
    for (const action of [
      rolloutWeb,
      { kind: 'restart-pod', target: { cluster: 'default', namespace: 'shop', pod: newPod.metadata.name } },
    ] as Action[]) {
      const facts = await factsFor(action);
      assert.deepEqual(
        facts.restarts.map((r) => [r.source, r.subject, r.evidence]),
        [['rollout-restart', 'Deployment/web', `kubectl.kubernetes.io/restartedAt ${stamped} UTC`]],
        action.kind,
      );
    }
    const verdict = decide(
      storyPolicy,
      { request: rolloutWeb, origin: { type: 'manual', user: 'U0SRE0001' } },
      await factsFor(rolloutWeb),
      h.clock.now(),
    );
    assert.ok(
      verdict.reasons.some((r) => r.rule === 'rate-limit:pod'),
      verdict.headline,
    );
  });

  it('a new image rolled out is a new revision of the workload', async () => {
    const web = h.api.store.get('deployments', 'shop', 'web');
    web.spec.template.spec.containers[0].image = 'web:1.4.3';
    h.api.store.put('deployments', web);
    h.api.store.reconcile(true);
    h.clock.advance(20 * 60_000);
    const facts = await factsFor(rolloutWeb);
    assert.deepEqual(
      facts.restarts.map((r) => [r.source, r.subject]),
      [['new-revision', 'Deployment/web']],
    );
    assert.match(facts.restarts[0]?.evidence ?? '', /^ReplicaSet web-[0-9a-f]+ created \d\d:\d\d UTC$/);
  });

  it('a new template on a StatefulSet is a new ControllerRevision, and its recreated pods are that rollout', async () => {
    const postgres = h.api.store.get('statefulsets', 'databases', 'postgres');
    postgres.spec.template.spec.containers[0].image = 'postgres:16.4';
    h.api.store.put('statefulsets', postgres);
    h.api.store.reconcile(true);
    const rolled = hhmm();
    h.clock.advance(5 * 60_000);
    const facts = await factsFor(restartPostgres);
    assert.deepEqual(
      facts.restarts.map((r) => [r.source, r.subject]),
      [['new-revision', 'StatefulSet/postgres']],
    );
    assert.match(
      facts.restarts[0]?.evidence ?? '',
      new RegExp(`^ControllerRevision postgres-[0-9a-f]+ created ${rolled} UTC$`),
    );
  });

  it('a container that crashed shows as a container restart, and restarts older than the horizon are left out', async () => {
    const pod = h.api.store.get('pods', 'databases', 'postgres-0');
    const crashed = new Date(h.clock.now().getTime() - 20 * 60_000).toISOString();
    pod.status.containerStatuses = [
      {
        name: 'postgres',
        ready: true,
        restartCount: 3,
        image: 'postgres:16',
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: crashed } },
      },
    ];
    h.api.store.put('pods', pod);
    const facts = await factsFor(restartPostgres);
    assert.deepEqual(
      facts.restarts.map((r) => [r.source, r.at]),
      [['container', crashed]],
    );
    assert.match(
      facts.restarts[0]?.evidence ?? '',
      /container postgres ended OOMKilled at \d\d:\d\d UTC, restart 3/,
    );
    h.clock.advance(HOUR);
    assert.deepEqual((await factsFor(restartPostgres)).restarts, []);
  });
});
