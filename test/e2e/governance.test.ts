// What stands between a click and the cluster, through the real composition root: the policy is decided
// again at the click (a window may have opened, a freeze been declared), proposals expire, the two-person
// rule holds, a rejected proposal stays rejected, and requests Slack did not sign change nothing.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { deployment, statefulSet } from '../fakes/kube-api-builders.ts';
import { postSignedForm } from '../support/slack-signing.ts';
import {
  buttonValue,
  click,
  eventually,
  INCIDENTS,
  SIGNING_SECRET,
  slash,
  startWorld,
  type World,
} from './support.ts';

// A one-off maintenance window on staging that opens 10 minutes after the world starts.
const windowFrom = new Date(Date.now() + 10 * 60_000).toISOString();
const windowTo = new Date(Date.now() + 70 * 60_000).toISOString();
const EXTRA = `
windows:
  - name: staging-node-upgrade
    kind: maintenance
    from: ${windowFrom}
    to: ${windowTo}
    selector: { namespaces: [staging] }
`;

describe('end to end: the gate decides again at the click', () => {
  let world: World;
  let replicas: () => number | undefined;

  before(async () => {
    world = await startWorld(EXTRA);
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      { kind: 'Namespace', metadata: { name: 'databases' } },
      deployment('staging', 'web', { replicas: 2 }),
      statefulSet('databases', 'postgres'),
    );
    replicas = () => world.kube.store.get('deployments', 'staging', 'web')?.spec.replicas;
  });
  after(async () => {
    await world?.close();
  });
  beforeEach(() => {
    world.slack.calls.length = 0;
  });

  /** Asks for a scale of staging/web and returns the new proposal's id. */
  async function proposeScale(to: number, user = 'U0SRE0001'): Promise<string> {
    const ask = slash(world, `propose scale staging/deployment/web replicas=${to}`, user);
    await ask.send();
    return eventually('the proposal', () =>
      buttonValue(world, 'belay.approve', new RegExp(`staging/web to ${to} replicas`)),
    );
  }

  async function answerTo(c: { responseMethod: string; send: () => Promise<Response> }): Promise<string> {
    await c.send();
    const call = await eventually('an answer', () =>
      world.slack.calls.find((x) => x.method === c.responseMethod),
    );
    return JSON.stringify(call.body);
  }

  it('refuses an approval once a maintenance window has opened since the proposal was posted', async () => {
    const id = await proposeScale(4);
    world.clock.advance(15 * 60_000); // the window opened while the message sat in the channel
    const answer = await answerTo(click(world, 'belay.approve', id, 'U0SRE0002'));
    assert.match(answer, /Not run\. Blocked.*staging-node-upgrade/);
    assert.equal(replicas(), 2, 'nothing was scaled');
    world.clock.advance(60 * 60_000); // past the window (and past this proposal's 30 min life)
  });

  it('expires a proposal nobody decided on in time', async () => {
    const id = await proposeScale(5);
    world.clock.advance(31 * 60_000);
    const answer = await answerTo(click(world, 'belay.approve', id, 'U0SRE0002'));
    assert.match(answer, /expired/);
    assert.equal(replicas(), 2);
  });

  it('blocks at the click during a security freeze, and runs once it is lifted', async () => {
    const id = await proposeScale(3);
    await answerTo(slash(world, 'freeze on suspected credential leak', 'U0SEC0001'));
    const blocked = await answerTo(click(world, 'belay.approve', id, 'U0SRE0002'));
    assert.match(blocked, /Not run\. Blocked.*freeze/i);
    assert.equal(replicas(), 2);
    await answerTo(slash(world, 'freeze off', 'U0SEC0001'));
    await click(world, 'belay.approve', id, 'U0SRE0002').send();
    await eventually('three replicas', () => replicas() === 3);
  });

  it('blocks at the click while execution is paused', async () => {
    const id = await proposeScale(2);
    await answerTo(slash(world, 'pause', 'U0SRE0001'));
    const blocked = await answerTo(click(world, 'belay.approve', id, 'U0SRE0002'));
    assert.match(blocked, /Not run\. Blocked.*paused/i);
    assert.equal(replicas(), 3);
    await answerTo(slash(world, 'resume', 'U0SRE0001'));
  });

  it('holds the two-person rule in a production-critical namespace', async () => {
    await slash(world, 'propose restart-pod databases/postgres-0', 'U0DBA0001').send();
    const id = await eventually('the proposal', () => buttonValue(world, 'belay.approve', /postgres-0/));
    const own = await answerTo(click(world, 'belay.approve', id, 'U0DBA0001'));
    assert.match(own, /you asked for this action/);
    assert.equal(world.kube.requests.filter((r) => r.resource === 'pods/eviction').length, 0);
    // A second DBA, an approver through the Slack user group, may approve it.
    world.slack.usergroups.set('S0DBAS001', ['U0DBA0002']);
    await click(world, 'belay.approve', id, 'U0DBA0002').send();
    await eventually('the eviction by the second person', () =>
      world.kube.requests.some(
        (r) => r.resource === 'pods/eviction' && !r.dryRun && r.path.includes('postgres-0'),
      ),
    );
  });

  it('keeps a rejected proposal rejected', async () => {
    const id = await proposeScale(6);
    await click(world, 'belay.reject', id, 'U0SRE0002').send();
    await eventually('the rejection in the thread', () =>
      world.slack.calls.some((c) => /Rejected by <@U0SRE0002>/.test(JSON.stringify(c.body))),
    );
    const late = await answerTo(click(world, 'belay.approve', id, 'U0SRE0002'));
    assert.match(late, /was rejected by <@U0SRE0002>/);
    assert.notEqual(replicas(), 6);
  });

  it('refuses a revert that would undo a newer change, says who made it, and offers nothing to click', async () => {
    world.kube.seed(deployment('staging', 'cart', { replicas: 3 }));
    const cart = () => world.kube.store.get('deployments', 'staging', 'cart')?.spec.replicas;
    await slash(world, 'propose scale staging/deployment/cart replicas=5', 'U0SRE0001').send();
    const id = await eventually('the proposal', () =>
      buttonValue(world, 'belay.approve', /staging\/cart to 5 replicas/),
    );
    await click(world, 'belay.approve', id, 'U0SRE0002').send();
    await eventually('five replicas', () => cart() === 5);
    await eventually('the Revert button', () => buttonValue(world, 'belay.revert', /staging\/cart/));
    // An HPA scales it to 8 through the scale subresource, as kube-controller-manager.
    world.clock.advance(5 * 60_000);
    const apps = world.kube.kubeConfig('admin').makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeploymentScale(
      {
        name: 'cart',
        namespace: 'staging',
        body: { spec: { replicas: 8 } },
        fieldManager: 'kube-controller-manager',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    world.slack.calls.length = 0;
    const answer = await answerTo(click(world, 'belay.revert', id, 'U0SRE0002'));
    assert.match(
      answer,
      /was scaled to 8 replicas at \d\d:\d\d UTC by kube-controller-manager \(a HorizontalPodAutoscaler\?\) after Belay set 5: scaling it back to 3 would undo that/,
    );
    assert.match(answer, /\/remediate propose scale staging\/deployment\/cart/);
    assert.equal(cart(), 8, 'the newer change stands');
    const card = await eventually('the card updated', () =>
      world.slack.calls.find(
        (c) => c.method === 'chat.update' && /Nothing to revert/.test(JSON.stringify(c.body)),
      ),
    );
    assert.match(JSON.stringify(card.body), /staging\/cart was scaled to 8/);
    assert.doesNotMatch(JSON.stringify(card.body), /belay\.revert/, 'no Revert button anymore');
    await eventually('the thread line', () =>
      world.slack.calls.some((c) =>
        /Revert by <@U0SRE0002> failed: Not reverted\. Deployment staging\/cart was scaled to 8/.test(
          JSON.stringify(c.body),
        ),
      ),
    );
    // A second click is told why, and still changes nothing.
    const again = await answerTo(click(world, 'belay.revert', id, 'U0SRE0002'));
    assert.match(again, /cannot be reverted: the target changed after Belay acted/);
    assert.equal(cart(), 8);
  });

  it('ignores requests Slack did not sign, or signed long ago, and changes nothing', async () => {
    const id = await proposeScale(7);
    const payload = JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0SRE0002' },
      channel: { id: INCIDENTS },
      actions: [{ type: 'button', action_id: 'belay.approve', value: id, action_ts: '1.2' }],
    });
    const forged = await postSignedForm(world.slackUrl, { payload }, { signingSecret: 'not-the-secret' });
    const replayed = await postSignedForm(
      world.slackUrl,
      { payload },
      { signingSecret: SIGNING_SECRET, timestampSeconds: Math.floor(Date.now() / 1000) - 600 },
    );
    assert.equal(forged.status, 401);
    assert.equal(replayed.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.notEqual(replicas(), 7);
  });
});

describe('end to end: /remediate answers from the real use-cases', () => {
  let world: World;

  before(async () => {
    world = await startWorld(EXTRA);
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      deployment('staging', 'web', { replicas: 2 }),
    );
  });
  after(async () => {
    await world?.close();
  });

  async function ask(text: string, user = 'U0SRE0001'): Promise<string> {
    const c = slash(world, text, user);
    await c.send();
    const call = await eventually(`the answer to ${text}`, () =>
      world.slack.calls.find((x) => x.method === c.responseMethod),
    );
    return JSON.stringify(call.body);
  }

  it('explains the verdict the policy would give now, without proposing anything', async () => {
    const answer = await ask('explain restart-pod staging/web-5c8d7-aaaaa');
    assert.match(answer, /restart pod staging\/web-5c8d7-aaaaa|not found|could not read/i);
    const scale = await ask('explain scale staging/deployment/web replicas=3');
    assert.match(scale, /Needs approval: scale Deployment staging\/web to 3 replicas/);
    assert.equal(buttonValue(world, 'belay.approve'), undefined, 'explain proposes nothing');
  });

  it('forbids what is not in the catalog, with the reason', async () => {
    const answer = await ask('propose delete-pvc staging/data-postgres-0');
    assert.match(answer, /Forbidden/);
    assert.match(answer, /destroys data that cannot be brought back/);
  });

  it('lists the windows of a target, open now and next', async () => {
    const answer = await ask('windows staging/web');
    assert.match(answer, /staging-node-upgrade/);
  });

  it('lets only operators start again, refusing others ephemerally with who may, in the audit', async () => {
    // A staging approver may stop Belay (stopping is cheap) but not start it again.
    assert.match(await ask('pause noisy rollout', 'U0SRE0002'), /Execution paused by <@U0SRE0002>/);
    const resume = JSON.parse(await ask('resume', 'U0SRE0002'));
    assert.equal(resume.response_type, 'ephemeral');
    assert.match(resume.text, /only <@U0SRE0001> \(operator\), <@U0SEC0001> \(operator\) may resume/);
    assert.match(await ask('status'), /pause ON/, 'still paused');
    // Someone who is neither operator nor approver may not even pause.
    assert.match(await ask('pause', 'U0STRANGER1'), /may pause execution/);
    // A freeze is lifted by whoever declared it, or security; another operator may not.
    await ask('freeze on suspected token leak', 'U0SEC0001');
    assert.match(await ask('freeze off', 'U0SRE0001'), /<@U0SEC0001> \(declared it\).*may lift/);
    assert.match(await ask('status'), /freeze ON/, 'still frozen');
    world.slack.usergroups.set('S0SECURE1', ['U0SEC0002']);
    assert.match(await ask('freeze off', 'U0SEC0002'), /Security freeze lifted by <@U0SEC0002>/);
    assert.match(await ask('resume', 'U0SRE0001'), /Execution resumed by <@U0SRE0001>/);
    const audit = await ask('audit last 10');
    assert.match(audit, /refused \(resume\)/);
    assert.match(audit, /refused \(lift\)/);
  });

  it('shows status with the freeze and pause state, and the audit trail', async () => {
    await ask('freeze on suspected intrusion for 2h', 'U0SEC0001');
    const status = await ask('status');
    assert.match(status, /freeze|Freeze/);
    assert.match(status, /suspected intrusion/);
    const audit = await ask('audit last 5');
    assert.match(audit, /freeze/i);
    await ask('freeze off', 'U0SEC0001');
  });
});
