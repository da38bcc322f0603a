// A rule an operator promoted to auto: Belay acts on its own and says so with a Revert button; when the
// action does not verify, Belay reverts it by itself. And a question in the incident's thread is answered
// there, by the same read-only investigation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deployment } from '../fakes/kube-api-builders.ts';
import { postSignedJson } from '../support/slack-signing.ts';
import {
  buttonValue,
  deliverAlert,
  eventually,
  everythingSaid,
  INCIDENTS,
  SIGNING_SECRET,
  startWorld,
  type World,
} from './support.ts';

// Scaling has an inverse, so check-config lets it run automatically outside production-critical namespaces.
const RULES = `  - name: scale-on-queue-backlog
    action: scale
    replicas: 4
    mode: auto
    when:
      alert: { name: QueueBacklogHigh }
      namespaceClass: { notIn: [production-critical] }
`;

async function deliver(world: World, alertname: string, labels: Record<string, string>, fingerprint: string) {
  const response = await deliverAlert(world, { name: alertname, labels, startsAt: new Date(), fingerprint });
  assert.equal(response.status, 200);
}

describe('end to end: human on the loop', () => {
  let world: World;
  const replicas = (name: string) => world.kube.store.get('deployments', 'staging', name)?.spec.replicas;

  before(async () => {
    // Without novelty, the first automatic scale needs no earlier approval of its kind.
    world = await startWorld('novelty: false\n', RULES);
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      deployment('staging', 'worker', { replicas: 2 }),
      deployment('staging', 'mailer', { replicas: 2 }),
    );
  });
  after(async () => {
    await world?.close();
  });

  it('acts on its own for an auto rule, then offers Revert', async () => {
    await deliver(world, 'QueueBacklogHigh', { namespace: 'staging', deployment: 'worker' }, 'a1');
    await eventually('four workers', () => replicas('worker') === 4);
    await eventually('the "done" line', () => /Done automatically/.test(everythingSaid(world)));
    assert.ok(buttonValue(world, 'belay.revert', /worker/), 'the message carries a Revert button');
  });

  it('reverts by itself when the automatic action does not verify', async () => {
    world.kube.readyDelayMs = Number.POSITIVE_INFINITY; // the new pods never become Ready
    await deliver(world, 'QueueBacklogHigh', { namespace: 'staging', deployment: 'mailer' }, 'b2');
    await eventually('the automatic revert', () =>
      /Verification failed, so Belay reverted it/.test(everythingSaid(world)),
    );
    assert.equal(replicas('mailer'), 2, 'back to the replicas it had');
    world.kube.readyDelayMs = 0;
  });

  it('answers a question in the incident thread there, without acting', async () => {
    const posted = world.slack
      .served('chat.postMessage')
      .find((c) => c.body.channel === INCIDENTS && !c.body.thread_ts);
    assert.ok(posted);
    const threadTs = await eventually('the incident thread', () => {
      const threadLine = world.slack
        .served('chat.postMessage')
        .find((c) => typeof c.body.thread_ts === 'string');
      return threadLine?.body.thread_ts as string | undefined;
    });
    const writesBefore = world.kube.writes().length;
    const callsBefore = world.slack.calls.length;
    const response = await postSignedJson(
      world.slackUrl,
      {
        token: 'legacy',
        team_id: 'T0TEAM0001',
        api_app_id: 'A0BELAY',
        type: 'event_callback',
        event_id: 'EvQUESTION1',
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: 'app_mention',
          user: 'U0SRE0001',
          text: '<@UBELAY0001> why is the worker backlog high?',
          ts: `${Math.floor(Date.now() / 1000)}.000500`,
          thread_ts: threadTs,
          channel: INCIDENTS,
        },
        authorizations: [{ team_id: 'T0TEAM0001', user_id: 'UBELAY0001', is_bot: true }],
      },
      { signingSecret: SIGNING_SECRET },
    );
    assert.equal(response.status, 200);
    const answer = await eventually('the answer in the thread', () =>
      world.slack.calls
        .slice(callsBefore)
        .find((c) => c.method === 'chat.postMessage' && c.body.thread_ts === threadTs),
    );
    assert.match(
      String(answer.body.text),
      /QueueBacklogHigh|worker|staging/i,
      'the answer is about the incident',
    );
    assert.equal(world.kube.writes().length, writesBefore, 'a question never writes to the cluster');
  });
});
