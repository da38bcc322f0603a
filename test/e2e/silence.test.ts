// A silence an operator creates in the real Alertmanager, for the alerts of a pod, blocks Belay from acting
// on that pod: through the real composition root, from the alert's delivery to the card in (fake) Slack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningAlertmanager, startAlertmanager } from '../fakes/alertmanager.ts';
import { statefulSet } from '../fakes/kube-api-builders.ts';
import { deliverAlert, eventually, everythingSaid, startWorld, type World } from './support.ts';

describe('end to end: an Alertmanager silence on namespace and pod blocks restart-pod of that pod', () => {
  let world: World;
  let alertmanager: RunningAlertmanager;
  let silenceId: string;
  const now = new Date();
  // A whole minute, so the end reads back as the card words it.
  const endsAt = new Date(Math.ceil((now.getTime() + 3 * 3_600_000) / 60_000) * 60_000);

  before(async () => {
    // Belay only reads silences here; alerts are delivered to it directly.
    alertmanager = await startAlertmanager({
      webhookUrl: 'http://127.0.0.1:9/unused',
      bearerToken: 'unused',
    });
    silenceId = await alertmanager.createSilence({
      matchers: [
        { name: 'namespace', value: 'databases', isRegex: false, isEqual: true },
        { name: 'pod', value: 'postgres-0', isRegex: false, isEqual: true },
      ],
      startsAt: new Date(now.getTime() - 1_000).toISOString(),
      endsAt: endsAt.toISOString(),
      createdBy: 'dana@example.org',
      comment: 'pg_upgrade to 16',
    });
    world = await startWorld(
      '',
      // Databases are production-critical: the restart would need an approver, were it not silenced.
      '  - name: postgres-crashloop\n    action: restart-pod\n    mode: suggest\n    when:\n      alert: { name: PostgresCrashLooping }\n',
      now,
      { extraIntake: `  calendars:\n    alertmanagerSilences: { url: "${alertmanager.url}" }` },
    );
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'databases' } },
      statefulSet('databases', 'postgres'),
    );
  });
  after(async () => {
    await world?.close();
    await alertmanager?.stop();
  });

  it('posts the incident as blocked, naming the silence, its comment, its creator and its end, with no button', async () => {
    const response = await deliverAlert(world, {
      name: 'PostgresCrashLooping',
      labels: { namespace: 'databases', pod: 'postgres-0', container: 'postgres', severity: 'critical' },
      startsAt: now,
      fingerprint: 'fp-postgres-0',
    });
    assert.equal(response.status, 200);
    const said = await eventually('the blocked incident card', () => {
      const text = everythingSaid(world);
      return /Alertmanager silence/.test(text) ? text : undefined;
    });
    assert.match(said, new RegExp(`Alertmanager silence ${silenceId}`));
    assert.match(said, /pg_upgrade to 16/);
    assert.match(said, /silenced by dana@example\.org/);
    const hhmm = endsAt.toISOString().slice(11, 16);
    // An end on another day carries its date ("Dec 4 01:03 UTC"): the test may run at any hour.
    assert.match(
      said,
      new RegExp(`Blocked until (\\w{3} \\d{1,2} )?${hhmm} UTC`),
      'the card says until when it stays blocked',
    );
    assert.doesNotMatch(said, /belay\.approve/, 'nothing to click');
    assert.equal(
      world.kube.requests.filter((r) => r.resource === 'pods/eviction').length,
      0,
      'nothing was evicted, not even as a dry run',
    );
  });
});
