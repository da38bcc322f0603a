import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decide, evaluateConditions } from '../../../src/decide/index.ts';
import { type Action, factsSchema, policySchema } from '../../../src/domain/index.ts';
import {
  createPrometheusClient,
  metricFacts,
  type PrometheusClient,
} from '../../../src/observe/prometheus/index.ts';
import { type FakePrometheus, startFakePrometheus } from '../../fakes/prometheus-server.ts';
import { alert, storyPolicy, storyPolicyInput } from '../../support/story-policy.ts';

const NOW = new Date('2026-03-14T14:00:00Z');
const now = NOW.getTime() / 1_000;
const MEMORY = 'container_memory_working_set_bytes';
const restartCache: Action = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'staging', pod: 'cache-0' },
};
const memoryRule = storyPolicy.rules.find((r) => r.name === 'memory-pressure-restart');

/** The pod's containers: `cache` at `value(t)`, a sidecar far below, and the pod-level cgroup series cAdvisor also exports. */
function seedPod(prom: FakePrometheus, value: (t: number) => number, minutes = 3) {
  const every15s = (f: (t: number) => number) => {
    const samples: [number, number][] = [];
    for (let t = now - minutes * 60; t <= now; t += 15) samples.push([t, f(t)]);
    return samples;
  };
  const labels = { __name__: MEMORY, namespace: 'staging', pod: 'cache-0' };
  prom.series.push(
    { labels: { ...labels, container: 'cache' }, samples: every15s(value) },
    { labels: { ...labels, container: 'exporter' }, samples: every15s(() => 40e6) },
    // Pod total (container="") and the pause container: counting them would double the pod.
    { labels: { ...labels, container: '' }, samples: every15s((t) => value(t) + 40e6) },
    { labels: { ...labels, container: 'POD' }, samples: every15s(() => 99e9) },
  );
}

function verdictFor(metrics: Awaited<ReturnType<typeof metricFacts>>) {
  const facts = factsSchema.parse({
    cluster: 'default',
    namespace: 'staging',
    pod: { name: 'cache-0', labels: { app: 'cache' }, restartCount: 0 },
    owner: { kind: 'StatefulSet', name: 'cache' },
    metrics,
  });
  return decide(
    storyPolicy,
    {
      request: restartCache,
      origin: { type: 'rule', rule: 'memory-pressure-restart' },
      alert: alert('PodMemoryHigh', { namespace: 'staging', pod: 'cache-0' }, '2026-03-14T13:58:00Z'),
    },
    facts,
    NOW,
  );
}

describe('metricFacts: the story rule judged on real samples', () => {
  let prom: FakePrometheus;
  let client: PrometheusClient;
  beforeEach(async () => {
    prom = await startFakePrometheus();
    client = createPrometheusClient({ url: prom.url, timeoutMs: 2_000 });
  });
  afterEach(() => prom.close());

  it('6.2 GB for 3 minutes: one range query over for + one step, and the rule applies', async () => {
    seedPod(prom, () => 6.2e9);
    const metrics = await metricFacts(client, storyPolicy.rules, restartCache, NOW, { cluster: 'default' });
    assert.deepEqual(
      prom.requests.map((r) => [r.path, r.params.query, r.params.start, r.params.end, r.params.step]),
      [
        [
          '/api/v1/query_range',
          `${MEMORY}{namespace="staging",pod="cache-0",container!="",container!="POD"}`,
          (now - 75).toFixed(3),
          now.toFixed(3),
          '15',
        ],
      ],
    );
    assert.equal(metrics.length, 1);
    assert.equal(metrics[0]?.name, MEMORY);
    assert.deepEqual(
      metrics[0]?.samples.map((s) => [s.at, s.value]),
      [75, 60, 45, 30, 15, 0].map((ago) => [new Date((now - ago) * 1_000).toISOString(), 6.2e9]),
      'the highest real container at each instant, not the pod total or the pause container',
    );
    const verdict = verdictFor(metrics);
    const condition = verdict.rule?.conditions.find((c) => c.condition.startsWith(MEMORY));
    assert.deepEqual(condition, {
      condition: `${MEMORY} above 5G for 1m`,
      met: true,
      detail: 'latest 6.2G',
    });
    assert.equal(verdict.rule?.applies, true, JSON.stringify(verdict.rule));
  });

  it('a dip below 5 GB inside the 60 s keeps the rule from applying, and says when', async () => {
    seedPod(prom, (t) => (t === now - 30 ? 4.8e9 : 6.2e9));
    const metrics = await metricFacts(client, storyPolicy.rules, restartCache, NOW, { cluster: 'default' });
    const verdict = verdictFor(metrics);
    const condition = verdict.rule?.conditions.find((c) => c.condition.startsWith(MEMORY));
    assert.equal(condition?.met, false);
    assert.match(condition?.detail ?? '', /^was 4\.8G at /);
    assert.equal(verdict.rule?.applies, false);
  });

  it('a dip before the 60 s does not count against it', async () => {
    seedPod(prom, (t) => (t === now - 120 ? 4.8e9 : 6.2e9));
    const metrics = await metricFacts(client, storyPolicy.rules, restartCache, NOW, { cluster: 'default' });
    assert.equal(verdictFor(metrics).rule?.applies, true);
  });

  it('only 30 s of history is not "for 60 s"', async () => {
    seedPod(prom, () => 6.2e9, 0.5);
    const metrics = await metricFacts(client, storyPolicy.rules, restartCache, NOW, { cluster: 'default' });
    const condition = evaluateConditions(
      memoryRule ?? assert.fail('the story rule'),
      alert('PodMemoryHigh', {}, '2026-03-14T13:58:00Z'),
      factsSchema.parse({ cluster: 'default', namespace: 'staging', metrics }),
      'staging',
      NOW,
    ).find((c) => c.condition.startsWith(MEMORY));
    assert.deepEqual([condition?.met, condition?.detail], [false, 'not enough history']);
  });

  it('a Prometheus that cannot be reached gives no samples and says why; the rule does not apply', async () => {
    await prom.close();
    const metrics = await metricFacts(client, storyPolicy.rules, restartCache, NOW, { cluster: 'default' });
    assert.equal(metrics[0]?.samples.length, 0);
    assert.match(metrics[0]?.problem ?? '', /could not reach Prometheus at http:\/\/127\.0\.0\.1:\d+/);
    const verdict = verdictFor(metrics);
    const condition = verdict.rule?.conditions.find((c) => c.condition.startsWith(MEMORY));
    assert.equal(condition?.met, false);
    assert.match(
      condition?.detail ?? '',
      /^no samples of container_memory_working_set_bytes \(could not reach Prometheus/,
    );
    assert.equal(verdict.rule?.applies, false);
  });

  it('errors and timeouts are no samples too, never a pass', async () => {
    prom.script.push(
      { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'not ready' } },
      'hang',
    );
    const slow = createPrometheusClient({ url: prom.url, timeoutMs: 100 });
    for (const expected of [/503 unavailable/, /did not answer within 100 ms/]) {
      const [series] = await metricFacts(slow, storyPolicy.rules, restartCache, NOW, { cluster: 'default' });
      assert.deepEqual(series?.samples, []);
      assert.match(series?.problem ?? '', expected);
      assert.equal(verdictFor(series ? [series] : []).rule?.applies, false);
    }
  });

  it('asks only for metrics of rules proposing this kind of action, once per metric, over the longest for', async () => {
    const policy = policySchema.parse({
      ...storyPolicyInput,
      rules: [
        ...(storyPolicyInput.rules ?? []),
        {
          name: 'memory-long',
          action: 'restart-pod',
          mode: 'suggest',
          when: { alert: { name: 'X' }, metric: { name: MEMORY, above: '1GB', for: '10m' } },
        },
        {
          name: 'replicas',
          action: 'scale',
          replicas: 3,
          mode: 'suggest',
          when: {
            alert: { name: 'Y' },
            metric: { name: 'kube_deployment_status_replicas_available', below: 2, for: '5m' },
          },
        },
      ],
    });
    seedPod(prom, () => 6.2e9);
    await metricFacts(client, policy.rules, restartCache, NOW, { cluster: 'default' });
    assert.equal(prom.requests.length, 1);
    assert.equal(prom.requests[0]?.params.start, (now - 615).toFixed(3));
  });

  it('a target in another cluster gets no samples and no query', async () => {
    const elsewhere: Action = {
      ...restartCache,
      target: { ...restartCache.target, cluster: 'eu-prod' },
    } as Action;
    const [series] = await metricFacts(client, storyPolicy.rules, elsewhere, NOW, { cluster: 'default' });
    assert.deepEqual(series?.samples, []);
    assert.match(series?.problem ?? '', /watches cluster default, not eu-prod/);
    assert.equal(prom.requests.length, 0);
  });

  it('too many series for one pod means the selector is wrong: no samples rather than a guess', async () => {
    for (let i = 0; i < 3; i++) seedPod(prom, () => 6.2e9);
    const [series] = await metricFacts(client, storyPolicy.rules, restartCache, NOW, {
      cluster: 'default',
      maxSeries: 4,
    });
    assert.deepEqual(series?.samples, []);
    assert.match(series?.problem ?? '', /^6 series matched/);
  });
});
