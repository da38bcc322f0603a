// A rule earns its mode: what a dry-run rule would have done is reviewed with 👍 / 👎 in the thread, an
// operator promotes it once the record allows, Belay measures whether what ran fixed the alert, and an
// automatic action that fails or is reverted demotes its rule at once. Everything through the real
// composition root, clicks and commands signed as Slack signs them, alerts as Alertmanager delivers them.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/index.ts';
import { readRuleRecords } from '../../src/govern/store/index.ts';
import { deployment } from '../fakes/kube-api-builders.ts';
import {
  AM_TOKEN,
  buttonValue,
  click,
  configText,
  eventually,
  everythingSaid,
  slash,
  startWorld,
  type World,
} from './support.ts';

const MIN = 60_000;
const rules = (mode: string) => `
  - name: scale-on-queue-backlog
    action: scale
    replicas: 4
    mode: ${mode}
    when:
      alert: { name: QueueBacklogHigh }
      namespaceClass: { notIn: [production-critical] }`;

/** A QueueBacklogHigh for one deployment, firing or resolved, as Alertmanager's webhook sends it. */
async function backlog(
  world: World,
  name: string,
  status: 'firing' | 'resolved',
  startsAt: Date,
  endsAt?: Date,
): Promise<void> {
  const labels = { alertname: 'QueueBacklogHigh', namespace: 'staging', deployment: name };
  const response = await fetch(`${world.intakeUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body: JSON.stringify({
      version: '4',
      groupKey: `{}:{alertname="QueueBacklogHigh",deployment="${name}"}`,
      truncatedAlerts: 0,
      status,
      receiver: 'belay',
      groupLabels: { alertname: 'QueueBacklogHigh' },
      commonLabels: labels,
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      alerts: [
        {
          status,
          labels,
          annotations: { summary: `Queue backlog high for ${name}` },
          startsAt: startsAt.toISOString(),
          endsAt: (endsAt ?? new Date(0)).toISOString(),
          generatorURL: 'http://prometheus:9090/graph',
          fingerprint: `fp-${name}`,
        },
      ],
    }),
  });
  assert.equal(response.status, 200);
}

/** What Slack was told through a response_url (an ephemeral answer to a click or a command). */
async function answerTo(world: World, action: { responseMethod: string; send: () => Promise<Response> }) {
  const before = world.slack.calls.length;
  assert.equal((await action.send()).status, 200);
  const answer = await eventually(`the answer on ${action.responseMethod}`, () =>
    world.slack.calls.slice(before).find((c) => c.method === action.responseMethod),
  );
  return JSON.stringify(answer.body);
}

function seedStaging(world: World, ...names: string[]) {
  world.kube.seed(
    { kind: 'Namespace', metadata: { name: 'staging' } },
    ...names.map((n) => deployment('staging', n, { replicas: 2 })),
  );
}
const replicas = (world: World, name: string) =>
  world.kube.store.get('deployments', 'staging', name)?.spec.replicas;

describe('end to end: a dry-run rule reviewed with 👍 / 👎, then promoted with /remediate promote', () => {
  let world: World;
  before(async () => {
    world = await startWorld('novelty: false\n', '', new Date('2026-03-02T09:00:00Z'), {
      rules: rules('dry-run'),
    });
    seedStaging(world, 'worker', 'mailer');
  });
  after(() => world?.close());

  let reviewId = '';
  it('posts the would-have action in the thread with 👍 / 👎, and runs nothing', async () => {
    await backlog(world, 'worker', 'firing', world.clock.now());
    reviewId = await eventually('the review buttons', () =>
      buttonValue(world, 'belay.review.approve', /would you have approved/),
    );
    assert.match(
      everythingSaid(world),
      /Dry-run rule scale-on-queue-backlog would have: Dry run — Suggested: scale Deployment staging\/worker to 4 replicas/,
    );
    assert.equal(replicas(world, 'worker'), 2, 'a dry run changes nothing');
  });

  it('refuses a click from someone who may not review, recording nothing', async () => {
    const answer = await answerTo(world, click(world, 'belay.review.approve', reviewId, 'U0STRANGER'));
    assert.match(
      answer,
      /Not recorded: only <@U0SRE0001>, <@U0SEC0001>, <@U0SRE0002> may review what rule scale-on-queue-backlog would have done/,
    );
    const records = await readRuleRecords(world.storeDir);
    assert.equal(records?.reviews[reviewId]?.answer, undefined);
  });

  it("records an approver's 👍 (who, when) once, says it in the thread, and tells a second click who answered", async () => {
    const answer = await answerTo(world, click(world, 'belay.review.approve', reviewId, 'U0SRE0002'));
    assert.match(answer, /Recorded: you would have approved it/);
    await eventually('the thread line', () =>
      /👍 <@U0SRE0002> would have approved what dry-run rule scale-on-queue-backlog/.test(
        everythingSaid(world),
      ),
    );
    const records = await readRuleRecords(world.storeDir);
    assert.deepEqual(records?.reviews[reviewId]?.answer, {
      approve: true,
      by: 'U0SRE0002',
      at: world.clock.now().toISOString(),
    });
    const again = await answerTo(world, click(world, 'belay.review.disapprove', reviewId, 'U0SRE0001'));
    assert.match(again, /Already answered: <@U0SRE0002> said they would have approved it/);
    const audit = await answerTo(world, slash(world, 'audit last 30', 'U0SRE0001'));
    assert.match(audit, /rule\.reviewed\* <@U0SRE0002>/);
    assert.match(audit, /approval\.refused\* <@U0STRANGER> — Dry-run review refused/);
  });

  it('refuses to promote before 7 days in dry-run, showing the record', async () => {
    const answer = await answerTo(world, slash(world, 'promote scale-on-queue-backlog auto', 'U0SRE0001'));
    assert.match(answer, /Rule scale-on-queue-backlog: mode dry-run/);
    assert.match(answer, /100% would have approved \(1 of 1 reviewed\)/);
    assert.match(answer, /Not promoted to auto: it has been in dry-run 0 days; promotion needs 7/);
  });

  it('after 7 days, promotes for an operator only; status, check-config and the next decision use the new mode', async () => {
    world.clock.advance(7 * 24 * 60 * MIN);
    const approverOnly = await answerTo(
      world,
      slash(world, 'promote scale-on-queue-backlog auto', 'U0SRE0002'),
    );
    assert.match(approverOnly, /only <@U0SRE0001> \(operator\), <@U0SEC0001> \(operator\) may promote rules/);
    const answer = await answerTo(world, slash(world, 'promote scale-on-queue-backlog auto', 'U0SRE0001'));
    assert.match(answer, /Rule scale-on-queue-backlog promoted from dry-run to auto by <@U0SRE0001>/);
    assert.match(answer, /in_channel/);

    const status = await answerTo(world, slash(world, 'status', 'U0SRE0001'));
    assert.match(status, /rule scale-on-queue-backlog: auto \(promoted from dry-run by <@U0SRE0001>/);

    const out: string[] = [];
    const config = configText(world.storeDir, 'novelty: false\n', '', '', rules('dry-run'));
    const code = await runCli(['check-config', 'e2e.yaml'], {
      stdout: (line) => out.push(line),
      stderr: (line) => out.push(line),
      readFile: async (path) => (path === 'e2e.yaml' ? config : readFile(path, 'utf8')),
    });
    assert.equal(code, 0, out.join('\n'));
    assert.match(
      out.join('\n'),
      /rule modes set in Belay's state \(1\)[\s\S]*scale-on-queue-backlog {2}auto \(promoted from dry-run by U0SRE0001 .*this file says dry-run\)/,
    );

    // The policy file still says dry-run; the promotion in the state makes it act on its own now.
    await backlog(world, 'mailer', 'firing', world.clock.now());
    await eventually('the automatic scale', () => replicas(world, 'mailer') === 4);
  });
});

describe('end to end: an automatic action that fails verification demotes its rule at once', () => {
  let world: World;
  before(async () => {
    world = await startWorld('novelty: false\n', '', new Date('2026-03-02T09:00:00Z'), {
      rules: rules('auto'),
    });
    seedStaging(world, 'worker', 'mailer');
  });
  after(() => world?.close());

  it('demotes to suggest, says so in the thread, audits it; the next alert waits for a human', async () => {
    world.kube.readyDelayMs = Number.POSITIVE_INFINITY; // the new pods never become Ready
    await backlog(world, 'mailer', 'firing', world.clock.now());
    await eventually('the demotion line', () =>
      /Rule scale-on-queue-backlog is demoted to suggest: its automatic action failed verification/.test(
        everythingSaid(world),
      ),
    );
    world.kube.readyDelayMs = 0;
    const records = await readRuleRecords(world.storeDir);
    assert.equal(records?.modes['scale-on-queue-backlog']?.mode, 'suggest');
    assert.equal(records?.modes['scale-on-queue-backlog']?.change, 'demoted');
    const audit = await answerTo(world, slash(world, 'audit last 40', 'U0SRE0001'));
    assert.match(
      audit,
      /rule\.demoted\* bot:belay — Rule scale-on-queue-backlog demoted from auto to suggest/,
    );

    await backlog(world, 'worker', 'firing', world.clock.now());
    await eventually('an Approve button for the worker', () =>
      buttonValue(world, 'belay.approve', /staging\/worker/),
    );
    assert.equal(replicas(world, 'worker'), 2, 'nothing ran on its own');
  });
});

describe('end to end: outcomes measured, and a revert of an automatic action demotes its rule', () => {
  let world: World;
  before(async () => {
    world = await startWorld('novelty: false\n', '', new Date('2026-03-02T09:00:00Z'), {
      rules: rules('auto'),
    });
    seedStaging(world, 'worker', 'mailer', 'cart');
  });
  after(() => world?.close());

  it('fixed: the alert resolved 3 min after the scaling (a resolved delivery)', async () => {
    const started = new Date(world.clock.now().getTime() - 5 * MIN);
    await backlog(world, 'worker', 'firing', started);
    await eventually('the automatic scale', () => replicas(world, 'worker') === 4);
    world.clock.advance(3 * MIN);
    await backlog(world, 'worker', 'resolved', started, world.clock.now());
    await eventually('the "Fixed" line', () =>
      /Fixed: QueueBacklogHigh resolved 3 min after the scaling\./.test(everythingSaid(world)),
    );
  });

  it('postponed: the same alert fired again on the same target 6 h later', async () => {
    world.clock.advance(6 * 60 * MIN);
    await backlog(world, 'worker', 'firing', world.clock.now());
    await eventually('the "Postponed" line', () =>
      /Postponed: QueueBacklogHigh resolved 3 min after the scaling, but it came back 6 h later/.test(
        everythingSaid(world),
      ),
    );
  });

  it('did not fix: still firing when Alertmanager re-sent it 16 min after the scaling', async () => {
    const started = world.clock.now();
    await backlog(world, 'mailer', 'firing', started);
    await eventually('the automatic scale', () => replicas(world, 'mailer') === 4);
    world.clock.advance(16 * MIN);
    await backlog(world, 'mailer', 'firing', started);
    await eventually('the "Did not fix" line', () =>
      /Did not fix: QueueBacklogHigh was still firing 15 min after the scaling/.test(everythingSaid(world)),
    );
    const records = await readRuleRecords(world.storeDir);
    const outcomes = Object.values(records?.outcomes ?? {});
    assert.deepEqual(outcomes.map((o) => [o.status, o.told]).sort(), [
      ['not-fixed', ['not-fixed']],
      ['postponed', ['fixed', 'postponed']],
    ]);
    for (const outcome of outcomes) {
      const audit = await answerTo(world, slash(world, `audit ${outcome.incidentId}`, 'U0SRE0001'));
      assert.equal(
        audit.match(/outcome\.measured/g)?.length,
        outcome.told.length,
        'each verdict audited once',
      );
    }
  });

  it('a click on Revert of an automatic action demotes the rule and says so', async () => {
    await backlog(world, 'cart', 'firing', world.clock.now());
    await eventually('the automatic scale', () => replicas(world, 'cart') === 4);
    const id = await eventually('the Revert button', () =>
      buttonValue(world, 'belay.revert', /staging\/cart/),
    );
    await click(world, 'belay.revert', id, 'U0SRE0001').send();
    await eventually('the demotion line', () =>
      /Rule scale-on-queue-backlog is demoted to suggest: its automatic action was reverted by <@U0SRE0001>/.test(
        everythingSaid(world),
      ),
    );
    assert.equal(replicas(world, 'cart'), 2);
    const records = await readRuleRecords(world.storeDir);
    assert.equal(records?.modes['scale-on-queue-backlog']?.mode, 'suggest');
  });
});
