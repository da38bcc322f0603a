import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Action } from '../../../src/domain/index.ts';
import {
  createPrometheusClient,
  metricScope,
  promqlString,
  seriesSelector,
} from '../../../src/observe/prometheus/index.ts';
import { type FakePrometheus, parseSelector, startFakePrometheus } from '../../fakes/prometheus-server.ts';

const HOSTILE = [
  'web-1"} or vector(1) #',
  'a\\"} or up{x="',
  'line\nbreak',
  'tab\tand\rreturn',
  'nul\u0000bell\u0007del\u007f',
  'back\\slash\\',
  '"',
  '',
  'ünïcødé-🦀',
];

const restart = (namespace: string, pod: string): Action => ({
  kind: 'restart-pod',
  target: { cluster: 'default', namespace, pod },
});

describe('PromQL selectors', () => {
  it('writes the target scope as explicit matchers: namespace, pod, and real containers for cAdvisor', () => {
    const scope = metricScope('container_memory_working_set_bytes', restart('databases', 'postgres-0'));
    assert.ok(scope.ok);
    assert.deepEqual(seriesSelector('container_memory_working_set_bytes', scope.matchers), {
      ok: true,
      selector:
        'container_memory_working_set_bytes{namespace="databases",pod="postgres-0",container!="",container!="POD"}',
    });
    const ksm = metricScope('kube_pod_container_status_restarts_total', restart('shop', 'web-1'));
    assert.ok(ksm.ok);
    assert.deepEqual(seriesSelector('kube_pod_container_status_restarts_total', ksm.matchers), {
      ok: true,
      selector: 'kube_pod_container_status_restarts_total{namespace="shop",pod="web-1"}',
    });
  });

  it('scopes kube-state-metrics workload series by the workload label, and refuses what it cannot scope', () => {
    const scale: Action = {
      kind: 'scale',
      replicas: 3,
      target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
    };
    const ok = metricScope('kube_deployment_status_replicas_available', scale);
    assert.ok(ok.ok);
    assert.deepEqual(ok.matchers, [
      { label: 'namespace', op: '=', value: 'shop' },
      { label: 'deployment', op: '=', value: 'web' },
    ]);
    const perPod = metricScope('container_memory_working_set_bytes', scale);
    assert.equal(perPod.ok, false);
    assert.match(!perPod.ok ? perPod.reason : '', /cannot scope it to Deployment web/);
    const configMap: Action = {
      kind: 'patch-configmap',
      data: { A: 'b' },
      target: { cluster: 'default', namespace: 'shop', name: 'flags' },
    };
    assert.equal(metricScope('up', configMap).ok, false);
  });

  it('refuses metric and label names outside the grammar instead of pasting them into a query', () => {
    for (const name of ['up or vector(1)', 'a{b="c"}', '1abc', '', 'mem bytes']) {
      const r = seriesSelector(name, []);
      assert.equal(r.ok, false, name);
    }
    const r = seriesSelector('up', [{ label: 'pod"} or up{x', op: '=', value: 'v' }]);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /not a Prometheus label name/);
  });

  it('escapes hostile values so the literal reads back exactly and nothing follows it', () => {
    for (const value of HOSTILE) {
      const literal = promqlString(value);
      // JSON and PromQL agree on these escapes (\\ \" \n \r \t \uXXXX), so JSON can read it back.
      assert.equal(JSON.parse(literal), value, JSON.stringify(value));
      assert.doesNotMatch(literal.slice(1, -1), /(^|[^\\])(\\\\)*"/, 'no unescaped quote inside');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none survive raw
      assert.doesNotMatch(literal, /[\u0000-\u001f\u007f]/);
      const selector = seriesSelector('up', [{ label: 'pod', op: '=', value }]);
      assert.ok(selector.ok);
      const tests = parseSelector(selector.selector);
      assert.ok(tests, `the fake's PromQL lexer reads ${selector.selector}`);
      assert.equal(tests.length, 2, 'exactly the name and one matcher: nothing was injected');
      assert.ok(tests.every((t) => t({ __name__: 'up', pod: value })));
      assert.equal(tests[1]?.({ __name__: 'up', pod: `${value}x` }), false);
    }
  });

  describe('against the fake Prometheus', () => {
    let prom: FakePrometheus;
    beforeEach(async () => {
      prom = await startFakePrometheus();
    });
    afterEach(() => prom.close());

    it('a hostile pod name selects only the series carrying that exact name', async () => {
      const hostile = 'web-1"} or up{pod!="';
      prom.series.push(
        { labels: { __name__: 'up', namespace: 'shop', pod: hostile }, samples: [[1_000, 1]] },
        { labels: { __name__: 'up', namespace: 'shop', pod: 'web-1' }, samples: [[1_000, 2]] },
        { labels: { __name__: 'up', namespace: 'shop', pod: 'other' }, samples: [[1_000, 3]] },
      );
      const selector = seriesSelector('up', [
        { label: 'namespace', op: '=', value: 'shop' },
        { label: 'pod', op: '=', value: hostile },
      ]);
      assert.ok(selector.ok);
      const client = createPrometheusClient({ url: prom.url, timeoutMs: 2_000 });
      const answer = await client.instant(selector.selector, { time: new Date(1_010_000) });
      assert.ok(answer.ok);
      assert.equal(answer.data.resultType, 'vector');
      assert.deepEqual(answer.data.resultType === 'vector' ? answer.data.result.map((r) => r.value[1]) : [], [
        '1',
      ]);
      assert.equal(prom.requests[0]?.params.query, selector.selector, 'sent exactly as built');
    });
  });
});
