import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decide } from '../../src/decide/index.ts';
import { describeReasonTime } from '../../src/decide/reason-time.ts';
import { type Action, type Alert, type Facts, factsSchema } from '../../src/domain/index.ts';
import { createFactsSource } from '../../src/govern/facts-source.ts';
import { createStateStore, type StateStore } from '../../src/govern/store/index.ts';
import { createAlertmanagerSilences } from '../../src/observe/calendars-external/index.ts';
import { createCorrelator } from '../../src/observe/correlate/index.ts';
import { type RunningAlertmanager, startAlertmanager } from '../fakes/alertmanager.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { storyPolicy } from '../support/story-policy.ts';

// What Kubernetes says about each target: its pod's own labels, which no silence is written against.
const CLUSTER_FACTS: Record<string, Partial<Facts>> = {
  'postgres-0': {
    namespace: 'databases',
    pod: { name: 'postgres-0', labels: { app: 'postgres' }, restartCount: 0, containers: ['postgres'] },
    owner: { kind: 'StatefulSet', name: 'postgres' },
  },
  'web-7c9f8d6b5-x2x4z': {
    namespace: 'staging',
    pod: { name: 'web-7c9f8d6b5-x2x4z', labels: { app: 'web' }, restartCount: 4, containers: ['web'] },
    owner: { kind: 'Deployment', name: 'web' },
  },
};

describe('a silence created in a real Alertmanager blocks the restart it covers', () => {
  const clock = new ManualClock(new Date());
  let am: RunningAlertmanager;
  let store: StateStore;
  let dir: string;

  before(async () => {
    // Nothing is delivered in this test; the webhook only has to be a URL.
    am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused', bearerToken: 'unused' });
    dir = await mkdtemp(join(tmpdir(), 'belay-silence-'));
    store = await createStateStore({ dir, clock });
  });
  after(async () => {
    await am?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const restartPod = (namespace: string, pod: string): Action & { kind: 'restart-pod' } => ({
    kind: 'restart-pod',
    target: { cluster: 'homelab', namespace, pod },
  });

  const verdictFor = async (action: Action & { kind: 'restart-pod' }, incidentId: string) => {
    const source = createFactsSource({
      store,
      clock,
      external: [createAlertmanagerSilences({ url: am.url, clock, cacheMs: 0 })],
      cluster: async (_action, base) =>
        factsSchema.parse({
          cluster: 'homelab',
          approvedBefore: ['restart-pod@Pod of Deployment', 'restart-pod@Pod of StatefulSet'],
          ...CLUSTER_FACTS[action.target.pod],
          ...base,
        }),
    });
    const facts = await source(action, { incidentId });
    return decide(
      storyPolicy,
      { request: action, origin: { type: 'manual', user: 'U0DBA0001' } },
      facts,
      clock.now(),
    );
  };

  const incidentOf = async (labels: Record<string, string>): Promise<string> => {
    const correlator = createCorrelator({ store, clock, defaultCluster: 'homelab' });
    const alert: Alert = {
      source: 'alertmanager',
      fingerprint: `fp-${labels.pod}`,
      status: 'firing',
      name: labels.alertname ?? 'Alert',
      labels,
      annotations: {},
      startsAt: clock.now().toISOString(),
      receivedAt: clock.now().toISOString(),
    };
    const result = await correlator.ingest([alert]);
    const id = result.updates[0]?.incident.id;
    assert.ok(id, 'the alert opened an incident');
    return id;
  };

  it('a silence on namespace and pod blocks restart-pod of that pod, naming id, comment, creator and end', async () => {
    const now = Date.now();
    // A whole minute, so the end reads back exactly as the verdict words it.
    const endsAt = new Date(Math.ceil((now + 4 * 3_600_000) / 60_000) * 60_000).toISOString();
    const incidentId = await incidentOf({
      alertname: 'PodMemoryHigh',
      namespace: 'databases',
      pod: 'postgres-0',
      container: 'postgres',
    });
    const action = restartPod('databases', 'postgres-0');
    assert.notEqual((await verdictFor(action, incidentId)).disposition, 'blocked', 'no silence yet');

    const id = await am.createSilence({
      matchers: [
        { name: 'namespace', value: 'databases', isRegex: false, isEqual: true },
        { name: 'pod', value: 'postgres-0', isRegex: false, isEqual: true },
      ],
      startsAt: new Date(now - 1_000).toISOString(),
      endsAt,
      createdBy: 'dana@example.org',
      comment: 'pg_upgrade to 16',
    });
    clock.set(new Date());
    const verdict = await verdictFor(action, incidentId);
    assert.equal(verdict.disposition, 'blocked');
    const text = verdict.reasons.map((r) => r.message).join('\n');
    assert.match(text, new RegExp(`Alertmanager silence ${id}`));
    assert.match(text, /"pg_upgrade to 16" \(silenced by dana@example\.org\)/);
    assert.ok(text.includes(`until ${describeReasonTime(endsAt)}`), text);
  });

  it("a silence on a label only the incident's alerts carry blocks the restart too, and only that one", async () => {
    const now = Date.now();
    const id = await am.createSilence({
      matchers: [{ name: 'team', value: 'storefront', isRegex: false, isEqual: true }],
      startsAt: new Date(now - 1_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'sam',
      comment: 'storefront release',
    });
    clock.set(new Date());
    const action = restartPod('staging', 'web-7c9f8d6b5-x2x4z');
    const labels = { alertname: 'KubePodCrashLooping', namespace: 'staging', pod: 'web-7c9f8d6b5-x2x4z' };
    const withTeam = await verdictFor(action, await incidentOf({ ...labels, team: 'storefront' }));
    assert.equal(withTeam.disposition, 'blocked');
    assert.match(withTeam.reasons.map((r) => r.message).join('\n'), new RegExp(`Alertmanager silence ${id}`));

    const otherTeam = await verdictFor(action, await incidentOf({ ...labels, team: 'search' }));
    assert.notEqual(otherTeam.disposition, 'blocked', JSON.stringify(otherTeam.reasons));
  });
});
