// /metrics through the real composition root: an alert goes through, then Prometheus' view of Belay is
// scraped over HTTP and read with a strict text-format parser.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACTION_KINDS, DISPOSITIONS } from '../../src/domain/index.ts';
import { deployment } from '../fakes/kube-api-builders.ts';
import { type MetricFamily, parsePrometheusText } from '../support/prometheus-text.ts';
import { buttonValue, click, deliverAlert, eventually, startWorld, type World } from './support.ts';

/** Every label Belay uses, with every value it may take: anything else would be an unbounded series. */
const BOUNDED: Record<string, readonly string[]> = {
  source: ['alertmanager', 'pagerduty', 'slack', 'other'],
  // belay_health_check: the checks the composition root registers (README, "Operating Belay").
  check: ['event-loop', 'store', 'inbox', 'intake', 'slack'],
  result: [
    'accepted',
    'duplicate',
    'ignored',
    'invalid',
    'unauthorized',
    'too_large',
    'busy',
    'rejected',
    'other',
  ],
  disposition: [...DISPOSITIONS, 'other'],
  rule: ['crashloop-restart', 'none', 'other'],
  action: [...ACTION_KINDS, 'other'],
  reason: [
    'not_allowed',
    'policy',
    'rate_limit',
    'revert_refused',
    'switch',
    'no_model',
    'token_budget',
    'time_budget',
    'model_error',
    'invalid_output',
    'rate_limited',
    'transient',
    'other',
  ],
  outcome: [
    'succeeded',
    'dry-run-ok',
    'refused',
    'failed',
    'verification-failed',
    'interrupted',
    'ok',
    'http_error',
    'network_error',
    'other',
  ],
  kind: ['prompt', 'completion'],
  store: ['state', 'audit'],
  switch: ['freeze', 'pause'],
};

const EXPECTED: Record<string, { type: string; labels: string[] }> = {
  belay_alerts_received_total: { type: 'counter', labels: ['result', 'source'] },
  belay_incidents_open: { type: 'gauge', labels: [] },
  belay_proposals_total: { type: 'counter', labels: ['action', 'disposition', 'rule'] },
  belay_gate_refusals_total: { type: 'counter', labels: ['reason'] },
  belay_executions_total: { type: 'counter', labels: ['action', 'outcome'] },
  belay_reverts_total: { type: 'counter', labels: ['action', 'outcome'] },
  belay_verification_duration_seconds: { type: 'histogram', labels: ['action'] },
  belay_model_calls_total: { type: 'counter', labels: ['outcome'] },
  belay_model_tokens_total: { type: 'counter', labels: ['kind'] },
  belay_model_call_duration_seconds: { type: 'histogram', labels: [] },
  belay_model_fallbacks_total: { type: 'counter', labels: ['reason'] },
  belay_intake_backlog: { type: 'gauge', labels: [] },
  belay_intake_oldest_unprocessed_age_seconds: { type: 'gauge', labels: [] },
  belay_slack_send_queue_depth: { type: 'gauge', labels: [] },
  belay_slack_send_retries_total: { type: 'counter', labels: ['reason'] },
  belay_store_write_duration_seconds: { type: 'histogram', labels: ['store'] },
  belay_store_write_failures_total: { type: 'counter', labels: ['store'] },
  belay_switch_enabled: { type: 'gauge', labels: ['switch'] },
};

const value = (family: MetricFamily | undefined, labels: Record<string, string>, name = family?.name) =>
  family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;

describe('/metrics on the intake port', () => {
  let world: World;
  let pod: string;
  let scrape: Map<string, MetricFamily>;
  let text: string;

  before(async () => {
    world = await startWorld();
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      deployment('staging', 'api', { replicas: 2 }),
    );
    pod = world.kube.store.list('pods', 'staging')[0].metadata.name;
    const refused = await fetch(`${world.intakeUrl}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
      body: '{}',
    });
    assert.equal(refused.status, 401);
    const accepted = await deliverAlert(world, {
      name: 'KubePodCrashLooping',
      labels: { namespace: 'staging', pod, container: 'app', severity: 'warning' },
      startsAt: world.clock.now(),
      fingerprint: 'metrics-1',
    });
    assert.equal(accepted.status, 200);
    const proposalId = await eventually('the proposal in Slack', () => buttonValue(world, 'belay.approve'));
    // One refused click and one approval, so the gate and the executor have something to count.
    const intruder = click(world, 'belay.approve', proposalId, 'U0INTRUDER');
    await intruder.send();
    await eventually('the refusal', () =>
      world.slack.calls.some((c) => c.method === intruder.responseMethod),
    );
    await click(world, 'belay.approve', proposalId, 'U0SRE0001').send();
    await eventually('the message updated with the outcome', () =>
      world.slack.served('chat.update').some((c) => /succeeded|Ready/.test(JSON.stringify(c.body))),
    );
    const response = await fetch(`${world.intakeUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    text = await response.text();
    scrape = parsePrometheusText(text);
  });
  after(async () => {
    await world?.close();
  });

  it('exports every Belay metric with its type, HELP and label set', () => {
    for (const [name, want] of Object.entries(EXPECTED)) {
      const family = scrape.get(name);
      assert.ok(family, `${name} is missing from the scrape`);
      assert.equal(family.type, want.type, name);
      assert.ok(family.help.length > 10, `${name} has a HELP that says something`);
      for (const sample of family.samples) {
        const labels = Object.keys(sample.labels)
          .filter((l) => l !== 'le')
          .sort();
        assert.deepEqual(labels, want.labels, `${sample.name} labels`);
      }
    }
    for (const family of scrape.values()) {
      if (family.type === 'counter') assert.match(family.name, /_total$/, `${family.name} is a counter`);
      assert.match(family.name, /^(belay_|process_|nodejs_)/, `${family.name} has a known prefix`);
    }
  });

  it("includes Node's default process metrics", () => {
    assert.equal(scrape.get('process_cpu_seconds_total')?.type, 'counter');
    assert.equal(scrape.get('nodejs_eventloop_lag_seconds')?.type, 'gauge');
  });

  it('counted the alert, the refused delivery, the incident, the proposal and the writes', () => {
    const received = scrape.get('belay_alerts_received_total');
    assert.equal(value(received, { source: 'alertmanager', result: 'accepted' }), 1);
    assert.equal(value(received, { source: 'alertmanager', result: 'unauthorized' }), 1);
    assert.equal(value(scrape.get('belay_incidents_open'), {}), 1);
    const proposals = scrape.get('belay_proposals_total');
    assert.equal(value(proposals, { rule: 'crashloop-restart', action: 'restart-pod' }), 1);
    const writes = scrape.get('belay_store_write_duration_seconds');
    for (const store of ['state', 'audit']) {
      const count = value(writes, { store }, 'belay_store_write_duration_seconds_count') ?? 0;
      assert.ok(count > 0, `${store} writes were timed`);
    }
    assert.equal(value(scrape.get('belay_store_write_failures_total'), { store: 'state' }), 0);
    assert.equal(value(scrape.get('belay_switch_enabled'), { switch: 'freeze' }), 0);
    assert.equal(value(scrape.get('belay_intake_backlog'), {}), 0);
  });

  it('counted the refused click, the execution and its verification', () => {
    assert.equal(value(scrape.get('belay_gate_refusals_total'), { reason: 'not_allowed' }), 1);
    const executions = scrape.get('belay_executions_total');
    assert.equal(value(executions, { action: 'restart-pod', outcome: 'succeeded' }), 1);
    const verification = 'belay_verification_duration_seconds';
    assert.equal(value(scrape.get(verification), { action: 'restart-pod' }, `${verification}_count`), 1);
  });

  it('never puts a pod name, an incident id or free text in a label', () => {
    assert.ok(!text.includes(pod), 'the pod name is not in the scrape');
    for (const family of scrape.values()) {
      if (!family.name.startsWith('belay_')) continue;
      for (const sample of family.samples) {
        for (const [label, v] of Object.entries(sample.labels)) {
          if (label === 'le') {
            assert.ok(v === '+Inf' || Number.isFinite(Number(v)), `${sample.name} le=${v}`);
            continue;
          }
          assert.ok(BOUNDED[label]?.includes(v), `${sample.name}{${label}="${v}"} is not a bounded value`);
        }
      }
    }
  });

  it('answers only GET', async () => {
    const response = await fetch(`${world.intakeUrl}/metrics`, { method: 'POST' });
    assert.equal(response.status, 405);
  });
});

describe('/metrics on a port of its own (intake.metricsPort)', () => {
  let world: World;
  before(async () => {
    world = await startWorld('', '', new Date(), {
      editConfig: (text) =>
        text.replace('intake:\n  port: 8080', 'intake:\n  port: 8080\n  metricsPort: 9464'),
    });
  });
  after(async () => {
    await world?.close();
  });

  it('serves the scrape there, and no longer on the intake port', async () => {
    assert.ok(world.belay.metricsPort, 'Belay reports the metrics port');
    const response = await fetch(`http://127.0.0.1:${world.belay.metricsPort}/metrics`);
    assert.equal(response.status, 200);
    const scrape = parsePrometheusText(await response.text());
    assert.equal(scrape.get('belay_alerts_received_total')?.type, 'counter');
    assert.equal((await fetch(`${world.intakeUrl}/metrics`)).status, 404);
    assert.equal(
      (await fetch(`http://127.0.0.1:${world.belay.metricsPort}/webhooks/alertmanager`)).status,
      404,
    );
    assert.equal(
      (await fetch(`http://127.0.0.1:${world.belay.metricsPort}/metrics`, { method: 'POST' })).status,
      405,
    );
  });
});
