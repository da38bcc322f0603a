import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { prometheusSectionSchema } from '../../src/config/sections/prometheus.ts';
import { type GraphFile, type Incident, incidentSchema } from '../../src/domain/index.ts';
import { graphSpan } from '../../src/govern/graph-spec.ts';
import { createIncidentGraphs, type IncidentGraphDeps } from '../../src/govern/incident-graphs.ts';
import { createGraphRenderer } from '../../src/graph/index.ts';
import { createPrometheusReads } from '../../src/observe/prometheus/index.ts';
import { error, type FakePrometheus, startFakePrometheus } from '../fakes/prometheus-server.ts';
import { decodePng } from '../support/png-pixels.ts';
import { alert, backupWindow, postgresFacts, storyPolicy } from '../support/story-policy.ts';

const NOW = new Date('2026-03-14T02:17:00Z');
const ALERT = alert(
  'PodMemoryHigh',
  { namespace: 'databases', pod: 'postgres-0', container: 'postgres' },
  '2026-03-14T02:16:00Z',
);
const INCIDENT: Incident = incidentSchema.parse({
  schemaVersion: 1,
  id: 'inc-0217',
  key: 'default/databases/StatefulSet/postgres',
  cluster: 'default',
  namespace: 'databases',
  workload: { kind: 'StatefulSet', name: 'postgres' },
  title: 'PodMemoryHigh in databases/postgres',
  status: 'open',
  alerts: { [ALERT.fingerprint]: 'firing' },
  openedAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  storm: false,
});
const RESTART = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
} as const;
const renderer = createGraphRenderer();

describe('incident graphs', () => {
  let prom: FakePrometheus;
  let posts: { incidentId: string; file: GraphFile }[];
  let lines: { incidentId: string; text: string }[];
  before(async () => {
    prom = await startFakePrometheus();
    // Memory flat at 2.1 GB since the evening, climbing from 02:00 as the backup loads data.
    const samples: [number, number][] = [];
    for (let t = NOW.getTime() - 8 * 3_600_000; t <= NOW.getTime(); t += 60_000) {
      const climb = Math.max(0, Math.min(1, (t - Date.parse('2026-03-14T02:00:00Z')) / 600_000));
      samples.push([t / 1_000, 2.1e9 + climb * 4.1e9]);
    }
    const labels = { namespace: 'databases', pod: 'postgres-0' };
    prom.series.push(
      {
        labels: { __name__: 'container_memory_working_set_bytes', ...labels, container: 'postgres' },
        samples,
      },
      // cAdvisor's pod-level series: the scope must leave it out, or the pod would be counted twice.
      {
        labels: { __name__: 'container_memory_working_set_bytes', ...labels, container: '' },
        samples: samples.map(([t, v]) => [t, v * 2]),
      },
    );
  });
  after(() => prom.close());
  beforeEach(() => {
    posts = [];
    lines = [];
    prom.requests.length = 0;
    prom.script.length = 0;
  });

  function graphs(extra: Partial<IncidentGraphDeps> = {}) {
    const reads = createPrometheusReads({
      section: prometheusSectionSchema.parse({ url: prom.url }),
      defaultCluster: 'default',
      rules: storyPolicy.rules,
      clock: { now: () => NOW },
      redact: (t) => t,
    });
    return createIncidentGraphs({
      history: reads.history,
      render: renderer.render,
      post: async (incidentId, file) => void posts.push({ incidentId, file }),
      line: async (incidentId, text) => void lines.push({ incidentId, text }),
      ...extra,
    });
  }
  const request = (extra: object = {}) => ({
    incident: INCIDENT,
    alerts: [ALERT],
    facts: postgresFacts(NOW.toISOString(), {
      pod: { name: 'postgres-0', labels: {}, restartCount: 0, memoryLimitBytes: 8e9 },
      windows: [backupWindow],
    }),
    rules: storyPolicy.rules,
    action: RESTART,
    now: NOW,
    ...extra,
  });

  it("draws the rule's metric over six hours from Prometheus, with its threshold, the window, the limit and the alert's start", async () => {
    const outcome = await graphs().post(request());
    assert.ok(outcome.posted, JSON.stringify(outcome));
    const [query] = prom.requests;
    assert.equal(query?.path, '/api/v1/query_range');
    assert.match(
      query?.params.query ?? '',
      /^container_memory_working_set_bytes\{namespace="databases",pod="postgres-0",container!="",container!="POD"\}$/,
    );
    assert.equal(Number(query?.params.start), Date.parse('2026-03-13T20:17:00Z') / 1_000, 'six hours back');
    assert.equal(Number(query?.params.step), 45, 'about 480 points across the span');

    const { spec } = outcome;
    assert.equal(spec.title, 'databases/postgres-0 · memory');
    assert.deepEqual(spec.threshold, {
      value: 5e9,
      rule: 'memory-pressure-restart',
      direction: 'above',
      forMs: 60_000,
    });
    assert.equal(spec.limit, 8e9);
    assert.equal(spec.alertStart, '2026-03-14T02:16:00Z');
    assert.deepEqual(
      spec.windows.map((w) => w.name),
      ['postgres-nightly-backup'],
    );
    assert.equal(
      Math.max(...spec.samples.map((s) => s.value)),
      6.2e9,
      'the container series, not the pod total',
    );
    assert.ok(spec.samples.length > 400);

    assert.equal(lines.length, 0, 'nothing to explain');
    const [post] = posts;
    assert.equal(post?.incidentId, 'inc-0217');
    assert.equal(post?.file.title, spec.title);
    assert.match(
      post?.file.altText ?? '',
      /latest 6\.2 GB; rule memory-pressure-restart fires above 5 GB for 1m; memory limit 8 GB; backup window postgres-nightly-backup 02:00–02:45 UTC/,
    );
    assert.equal(decodePng(post?.file.png ?? new Uint8Array()).width, 1440);
  });

  it("draws the pod's memory when no rule names a metric and nothing is proposed", async () => {
    const outcome = await graphs().post(request({ rules: [], action: undefined }));
    assert.ok(outcome.posted);
    assert.equal(outcome.spec.metric, 'container_memory_working_set_bytes');
    assert.equal(outcome.spec.threshold, undefined);
  });

  it('without Prometheus: no graph, and the thread says why and what to do', async () => {
    const outcome = await graphs({ history: undefined }).post(request());
    assert.equal(outcome.posted, false);
    assert.equal(posts.length, 0);
    assert.deepEqual(
      lines.map((l) => l.incidentId),
      ['inc-0217'],
    );
    assert.match(lines[0]?.text ?? '', /No graph for this incident: .*no `prometheus` section\. Add one/);
  });

  it('when Prometheus fails: no graph, and the thread quotes what Prometheus said', async () => {
    prom.script.push({ status: 503, body: error('unavailable', 'TSDB not ready') });
    const outcome = await graphs().post(request());
    assert.equal(outcome.posted, false);
    assert.equal(posts.length, 0);
    assert.match(
      lines[0]?.text ?? '',
      /could not read container_memory_working_set_bytes for databases\/postgres-0 from Prometheus \(Prometheus answered 503 unavailable: TSDB not ready/,
    );
  });

  it('when the render fails: no graph, and the thread says drawing failed and why', async () => {
    const outcome = await graphs({
      render: () => {
        throw new Error('out of memory in the rasteriser');
      },
    }).post(request());
    assert.equal(outcome.posted, false);
    assert.equal(posts.length, 0);
    assert.match(
      lines[0]?.text ?? '',
      /drawing container_memory_working_set_bytes failed \(out of memory in the rasteriser\)/,
    );
  });

  it('an incident with no pod and no rule metric gets no graph and no line', async () => {
    const outcome = await graphs().post(
      request({
        alerts: [alert('KubeDeploymentReplicasMismatch', { namespace: 'shop' }, NOW.toISOString())],
        rules: [],
        action: undefined,
      }),
    );
    assert.deepEqual(outcome, { posted: false, why: 'no metric to draw' });
    assert.equal(lines.length + posts.length + prom.requests.length, 0);
  });

  it('draws nothing for an incident inside an alert storm: it has no thread of its own', async () => {
    const outcome = await graphs().post(request({ incident: { ...INCIDENT, storm: true } }));
    assert.deepEqual(outcome, { posted: false, why: 'part of an alert storm' });
    assert.equal(lines.length + posts.length + prom.requests.length, 0);
  });

  it('spans six hours by default, reaches back to an hour before an older alert, and at most a week', () => {
    const span = (alertStart?: string) => {
      const { from, to } = graphSpan(NOW, alertStart);
      return [(NOW.getTime() - from.getTime()) / 3_600_000, (to.getTime() - NOW.getTime()) / 60_000];
    };
    assert.deepEqual(span(), [6, 45]);
    assert.deepEqual(span('2026-03-14T02:16:00Z'), [6, 45]);
    assert.deepEqual(span('2026-03-13T14:17:00Z'), [13, 97.5]);
    assert.deepEqual(span('2026-01-01T00:00:00Z'), [168, 1260]);
    assert.deepEqual(span('not a time'), [6, 45]);
  });
});
