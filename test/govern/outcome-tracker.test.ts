import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Alert, Incident, Proposal } from '../../src/domain/index.ts';
import { proposalSchema } from '../../src/domain/index.ts';
import { createOutcomeTracker } from '../../src/govern/outcome-tracker.ts';
import { createAuditLog, createRuleRecordsStore } from '../../src/govern/store/index.ts';
import { buildWeeklyDigest } from '../../src/govern/weekly-digest.ts';
import { alertFiring, createPrometheusClient } from '../../src/observe/prometheus/index.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { type FakePrometheus, startFakePrometheus } from '../fakes/prometheus-server.ts';
import { sampleVerdict } from './store/sample-records.ts';
import { tempDir } from './store/temp-dir.ts';

const T0 = '2026-03-10T02:20:00.000Z';
const MIN = 60_000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const LABELS = { alertname: 'HighLatency', namespace: 'shop', deployment: 'web' };

function latency(status: 'firing' | 'resolved', startsAt: string, endsAt?: string): Alert {
  return {
    source: 'alertmanager',
    fingerprint: 'fp-latency',
    status,
    name: 'HighLatency',
    labels: LABELS,
    annotations: {},
    startsAt,
    ...(endsAt ? { endsAt } : {}),
    receivedAt: endsAt ?? startsAt,
  };
}

function ranProposal(id: string, extra: Partial<Proposal> = {}): Proposal {
  return proposalSchema.parse({
    schemaVersion: 1,
    id,
    incidentId: 'i-1',
    action: {
      kind: 'scale',
      target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
      replicas: 6,
    },
    origin: { type: 'rule', rule: 'scale-on-latency' },
    alert: latency('firing', at(-10 * MIN)),
    state: 'succeeded',
    createdAt: T0,
    updatedAt: T0,
    expiresAt: at(30 * MIN),
    verdict: sampleVerdict,
    history: [
      { from: 'proposed', to: 'approved', at: T0, by: { type: 'user', id: 'U0SRE0001' } },
      { from: 'approved', to: 'executing', at: T0, by: { type: 'user', id: 'U0SRE0001' } },
      { from: 'executing', to: 'succeeded', at: at(MIN), by: { type: 'bot', id: 'belay' } },
    ],
    ...extra,
  });
}

const incident: Incident = {
  schemaVersion: 1,
  id: 'i-1',
  key: 'default/shop/Deployment/web',
  cluster: 'default',
  namespace: 'shop',
  title: 'HighLatency in shop/web',
  status: 'open',
  alerts: { 'fp-latency': 'firing' },
  alertLabels: { 'fp-latency': LABELS },
  openedAt: T0,
  updatedAt: T0,
  storm: false,
};

async function setup(t: TestContext, prometheus?: FakePrometheus) {
  const clock = new ManualClock(T0);
  const dir = await tempDir(t);
  const records = await createRuleRecordsStore({ dir });
  const audit = await createAuditLog({ dir: join(dir, 'audit'), clock });
  const lines: string[] = [];
  const client = prometheus ? createPrometheusClient({ url: prometheus.url, timeoutMs: 2_000 }) : undefined;
  const tracker = createOutcomeTracker({
    records,
    store: { getIncident: (id) => (id === incident.id ? incident : undefined) },
    audit,
    presenter: { line: async (_incident, text) => void lines.push(text) },
    settings: { resolveWithin: 15 * MIN, returnWithin: 24 * 60 * MIN },
    clock,
    ...(client ? { alertFiring: (alert, when) => alertFiring(client, alert, when) } : {}),
  });
  return { clock, records, audit, lines, tracker };
}

describe('outcomes measured from the alerts Belay receives', () => {
  it('fixed: the alert resolved 3 min after the action; then postponed when it came back 6 h later', async (t) => {
    const { clock, tracker, lines, audit, records } = await setup(t);
    await tracker.actionRan(ranProposal('p-1'));
    // Alertmanager re-sends the firing alert before it resolves: the same episode, nothing to tell.
    clock.advance(2 * MIN);
    await tracker.observe([latency('firing', at(-10 * MIN))]);
    assert.deepEqual(lines, []);
    clock.advance(MIN);
    await tracker.observe([latency('resolved', at(-10 * MIN), at(3 * MIN))]);
    assert.deepEqual(lines, ['Fixed: HighLatency resolved 3 min after the scaling.']);
    await tracker.observe([latency('resolved', at(-10 * MIN), at(3 * MIN))]);
    assert.equal(lines.length, 1, 'each verdict is told once');
    clock.set(at(6 * 60 * MIN + 3 * MIN));
    await tracker.observe([latency('firing', at(6 * 60 * MIN + 3 * MIN))]);
    assert.equal(
      lines[1],
      'Postponed: HighLatency resolved 3 min after the scaling, but it came back 6 h later. The scaling bought time; the cause is still there.',
    );
    assert.equal(records.outcome('p-1')?.status, 'postponed');
    assert.equal(records.outcome('p-1')?.final, true);
    const measured = await audit.read({ types: ['outcome.measured'] });
    assert.deepEqual(
      measured.map((e) => [e.proposalId, e.data.status, e.data.rule]),
      [
        ['p-1', 'fixed', 'scale-on-latency'],
        ['p-1', 'postponed', 'scale-on-latency'],
      ],
    );
    // The weekly digest counts the action once, as what it came to.
    const digest = buildWeeklyDigest(measured, new Date(at(-MIN)), new Date(at(7 * 24 * 60 * MIN)));
    assert.deepEqual(digest.outcomesByRule, [
      { rule: 'scale-on-latency', fixed: 0, notFixed: 0, postponed: 1 },
    ]);
  });

  it('did not fix: still firing when the scheduled check runs 15 min after', async (t) => {
    const { clock, tracker, lines, records } = await setup(t);
    await tracker.actionRan(ranProposal('p-2'));
    clock.advance(14 * MIN);
    await tracker.check(clock.now());
    assert.deepEqual(lines, [], 'too early to say');
    clock.advance(MIN);
    await tracker.check(clock.now());
    assert.deepEqual(lines, [
      'Did not fix: HighLatency was still firing 15 min after the scaling. Look for another cause; doing the same again is unlikely to help.',
    ]);
    assert.deepEqual(records.outcomes({ open: true }), [], 'nothing more is checked');
  });

  it("the model's proposal is measured against the incident's firing alert; a request with no alert is not", async (t) => {
    const { tracker, records } = await setup(t);
    const { alert: _unused, ...withoutAlert } = ranProposal('p-3', {
      origin: { type: 'model', promptVersion: 'v1' },
    });
    await tracker.actionRan(withoutAlert);
    assert.equal(records.outcome('p-3')?.alert.fingerprint, 'fp-latency');
    assert.equal(records.outcome('p-3')?.rule, undefined);
    await tracker.actionRan({ ...withoutAlert, id: 'p-4', incidentId: 'i-manual' });
    assert.equal(records.outcome('p-4'), undefined);
  });

  it('a reverted action is no longer measured', async (t) => {
    const { clock, tracker, lines, records } = await setup(t);
    await tracker.actionRan(ranProposal('p-5'));
    await tracker.reverted(ranProposal('p-5', { state: 'reverted' }));
    clock.advance(20 * MIN);
    await tracker.check(clock.now());
    assert.deepEqual(lines, []);
    assert.equal(records.outcome('p-5')?.reverted, true);
  });
});

describe("outcomes checked against Prometheus' ALERTS by the scheduled job", () => {
  let prometheus: FakePrometheus;
  before(async () => {
    prometheus = await startFakePrometheus();
  });
  after(() => prometheus.close());
  const seconds = (ms: number) => Date.parse(at(ms)) / 1_000;
  const alertsSeries = (fromMs: number, toMs: number) => ({
    labels: { __name__: 'ALERTS', alertstate: 'firing', severity: 'page', ...LABELS },
    samples: Array.from(
      { length: (toMs - fromMs) / MIN + 1 },
      (_, i) => [seconds(fromMs + i * MIN), 1] as const,
    ),
  });

  it('fixed when the ALERTS series stops, even with no resolved notification; postponed when it fires again', async (t) => {
    prometheus.series.length = 0;
    prometheus.series.push(alertsSeries(-10 * MIN, 2 * MIN));
    const { clock, tracker, lines } = await setup(t, prometheus);
    await tracker.actionRan(ranProposal('p-6'));
    clock.advance(MIN);
    await tracker.check(clock.now());
    assert.deepEqual(lines, [], 'still firing a minute after');
    clock.set(at(10 * MIN));
    await tracker.check(clock.now());
    assert.deepEqual(lines, ['Fixed: HighLatency resolved 10 min after the scaling.']);
    const query = prometheus.requests.at(-1)?.params.query ?? '';
    assert.match(
      query,
      /^ALERTS\{alertname="HighLatency",alertstate="firing",namespace="shop",deployment="web"\}$/,
    );
    prometheus.series.push(alertsSeries(120 * MIN, 125 * MIN));
    clock.set(at(122 * MIN));
    await tracker.check(clock.now());
    assert.match(
      lines[1] ?? '',
      /^Postponed: HighLatency resolved 10 min after the scaling, but it came back 1\.9 h later/,
    );
  });

  it('waits when Prometheus cannot answer, instead of guessing', async (t) => {
    prometheus.series.length = 0;
    const { clock, tracker, lines, records } = await setup(t, prometheus);
    await tracker.actionRan(ranProposal('p-7'));
    clock.advance(5 * MIN);
    prometheus.script.push({ status: 503, body: 'unavailable' });
    await tracker.check(clock.now());
    assert.deepEqual(lines, []);
    assert.equal(records.outcome('p-7')?.status, 'pending');
  });
});
