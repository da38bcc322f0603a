// The whole loop through the real composition root: a real Alertmanager fires, Belay opens an incident
// thread in (fake) Slack, an authorised engineer approves, the pod is evicted on the (fake) cluster, the
// message is updated; a manual scale is approved by a second person and reverted with one click.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningAlertmanager, startAlertmanager } from '../fakes/alertmanager.ts';
import { deployment } from '../fakes/kube-api-builders.ts';
import {
  AM_TOKEN,
  buttonValue,
  click,
  eventually,
  everythingSaid,
  INCIDENTS,
  slash,
  startWorld,
  type World,
} from './support.ts';

describe('end to end: alert → incident thread → approval → eviction → revert', () => {
  let world: World;
  let alertmanager: RunningAlertmanager;
  let pod: string;

  before(async () => {
    world = await startWorld();
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      deployment('staging', 'api', { replicas: 2 }),
    );
    pod = world.kube.store.list('pods', 'staging')[0].metadata.name;
    alertmanager = await startAlertmanager({
      webhookUrl: `${world.intakeUrl}/webhooks/alertmanager`,
      bearerToken: AM_TOKEN,
    });
  });
  after(async () => {
    await alertmanager?.stop();
    await world?.close();
  });

  const evictions = () => world.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun);
  const crashLoopLabels = () => ({
    alertname: 'KubePodCrashLooping',
    namespace: 'staging',
    pod,
    container: 'app',
    severity: 'warning',
  });

  it('posts the incident with Approve and Reject, and refuses an engineer who may not approve', async () => {
    await alertmanager.postAlerts([
      {
        labels: crashLoopLabels(),
        annotations: { description: 'restarted 7 times in 10 minutes' },
      },
    ]);
    const proposalId = await eventually('the incident message with an Approve button', () =>
      buttonValue(world, 'belay.approve'),
    );
    const posted = world.slack.served('chat.postMessage').find((c) => c.body.channel === INCIDENTS);
    assert.ok(posted, 'the incident was posted in the incidents channel');
    assert.match(JSON.stringify(posted.body), new RegExp(`restart pod staging/${pod}`));
    assert.ok(buttonValue(world, 'belay.reject'), 'Reject is offered too');

    const intruder = click(world, 'belay.approve', proposalId, 'U0INTRUDER');
    assert.equal((await intruder.send()).status, 200);
    const refusal = await eventually('the refusal', () =>
      world.slack.calls.find((c) => c.method === intruder.responseMethod),
    );
    assert.match(JSON.stringify(refusal.body), /only <@U0SRE0001>, <@U0SRE0002> may approve/);
    assert.equal(evictions().length, 0, 'nothing ran');
  });

  it('runs the eviction once for an authorised approver, even when clicked twice at once, and updates the message', async () => {
    const proposalId = buttonValue(world, 'belay.approve') as string;
    const first = click(world, 'belay.approve', proposalId, 'U0SRE0001');
    const second = click(world, 'belay.approve', proposalId, 'U0SRE0002');
    await Promise.all([first.send(), second.send()]);
    await eventually('the eviction', () => evictions().length > 0);
    // The approver sees the message change; the second clicker is told it was already done.
    await eventually('the thread line', () =>
      /Approved and executed by <@U0SRE000[12]>/.test(everythingSaid(world)),
    );
    const late = await eventually('the answer to the other click', () =>
      world.slack.calls.find((x) => x.method === first.responseMethod || x.method === second.responseMethod),
    );
    assert.match(JSON.stringify(late.body), /already|right now/);
    assert.equal(evictions().length, 1, 'exactly one eviction');
    assert.equal(
      evictions()[0]?.user,
      'system:serviceaccount:belay:belay-writer',
      'written by the writer identity only',
    );
    assert.ok(
      world.kube.requests.some((r) => r.resource === 'pods/eviction' && r.dryRun),
      'a server-side dry run came first',
    );
    assert.equal(world.kube.store.get('pods', 'staging', pod), undefined, 'the pod was evicted');
    await eventually('the message updated with the outcome', () =>
      world.slack.served('chat.update').some((c) => /succeeded|Ready/.test(JSON.stringify(c.body))),
    );
  });

  it('scales on a second person’s approval and reverts with one click', async () => {
    const ask = slash(world, 'propose scale staging/deployment/api replicas=3', 'U0SRE0001');
    assert.equal((await ask.send()).status, 200);
    await eventually('the scale proposal', () =>
      world.slack.calls.some((c) => /scale Deployment staging\/api to 3/.test(JSON.stringify(c.body))),
    );
    const proposalId = await eventually('its Approve button', () =>
      buttonValue(world, 'belay.approve', /staging\/api to 3/),
    );
    const approve = click(world, 'belay.approve', proposalId, 'U0SRE0002');
    await approve.send();
    await eventually(
      'three replicas',
      () => world.kube.store.get('deployments', 'staging', 'api')?.spec.replicas === 3,
    );
    const revertId = await eventually('a Revert button', () => buttonValue(world, 'belay.revert'));
    assert.equal(revertId, proposalId);
    const revert = click(world, 'belay.revert', revertId, 'U0SRE0001');
    await revert.send();
    await eventually(
      'two replicas again',
      () => world.kube.store.get('deployments', 'staging', 'api')?.spec.replicas === 2,
    );
    const again = click(world, 'belay.revert', revertId, 'U0SRE0001');
    await again.send();
    const answer = await eventually('the second revert answer', () =>
      world.slack.calls.find((c) => c.method === again.responseMethod),
    );
    assert.match(JSON.stringify(answer.body), /already reverted|revert of this proposal is already running/);
  });

  it('handles the resolve: the incident closes and says so in its thread', async () => {
    await alertmanager.postAlerts([
      {
        labels: crashLoopLabels(),
        endsAt: new Date(Date.now() - 1_000).toISOString(),
      },
    ]);
    await eventually(
      'the resolve line',
      () => /Resolved: the alerts stopped firing/.test(everythingSaid(world)),
      20_000,
    );
  });
});
