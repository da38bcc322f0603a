import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createPrometheusClient, downsample, metricsQuery } from '../../../src/observe/prometheus/index.ts';
import type { ReadTool } from '../../../src/observe/read-tool.ts';
import { fakeClock } from '../../fakes/fake-clock.ts';
import { type FakePrometheus, startFakePrometheus } from '../../fakes/prometheus-server.ts';

const NOW = Date.parse('2026-03-14T02:17:00Z') / 1_000;

describe('metrics_query', () => {
  let prom: FakePrometheus;
  let tool: ReadTool;
  const run = (input: unknown, cluster = 'default') => tool.run(tool.input.parse(input), { cluster });
  beforeEach(async () => {
    prom = await startFakePrometheus();
    // 25 pods, each with a sample every 15 s for the last hour; pod-N sits at N MB with one spike.
    for (let n = 0; n < 25; n++) {
      const samples: [number, number][] = [];
      for (let t = NOW - 3_600; t <= NOW; t += 15) samples.push([t, t === NOW - 1_800 ? 9e9 : n * 1e6]);
      prom.series.push({
        labels: {
          __name__: 'container_memory_working_set_bytes',
          namespace: 'shop',
          pod: `web-${n}`,
          container: 'app',
          note: n === 3 ? 'password=hunter2' : 'x',
        },
        samples,
      });
    }
    tool = metricsQuery({
      client: createPrometheusClient({ url: prom.url, timeoutMs: 2_000 }),
      clock: fakeClock('2026-03-14T02:17:00Z'),
      cluster: 'default',
      redact: (text) => text.replace(/password=\S+/g, 'password=[REDACTED]'),
      limits: { maxSeries: 5, maxPoints: 20 },
    });
  });
  afterEach(() => prom.close());

  it('instant: at most maxSeries series, the highest first, and a note of what was cut', async () => {
    const r = await run({ query: 'container_memory_working_set_bytes{namespace="shop"}' });
    const data = r.data as {
      series: { labels: Record<string, string>; points: unknown[] }[];
      seriesReturned: number;
      at: string;
    };
    assert.equal(data.series.length, 5);
    assert.deepEqual(
      data.series.map((s) => s.labels.pod),
      ['web-24', 'web-23', 'web-22', 'web-21', 'web-20'],
    );
    assert.deepEqual(data.series[0]?.points, [['2026-03-14T02:17:00Z', 24e6]]);
    assert.equal(data.seriesReturned, 25);
    assert.equal(data.at, '2026-03-14T02:17:00.000Z');
    assert.match(r.truncated ?? '', /showing 5 of 25 series \(the highest first\)/);
    assert.deepEqual(
      prom.requests.map((q) => q.path),
      ['/api/v1/query'],
    );
  });

  it('range: downsampled to maxPoints keeping the spike, with both cuts in the note', async () => {
    const r = await run({
      query: 'container_memory_working_set_bytes{pod="web-3"}',
      range: { duration: '1h' },
    });
    const data = r.data as {
      series: { labels: Record<string, string>; points: [string, number][]; pointsReturned: number }[];
      range: { step: string; start: string };
    };
    assert.equal(data.series.length, 1);
    const [series] = data.series;
    assert.equal(series?.pointsReturned, 241);
    assert.ok((series?.points.length ?? 0) <= 20);
    assert.ok(
      series?.points.some(([at, v]) => at === '2026-03-14T01:47:00Z' && v === 9e9),
      'the spike survives',
    );
    assert.equal(series?.labels.note, 'password=[REDACTED]', 'label values are redacted');
    assert.deepEqual(data.range, {
      start: '2026-03-14T01:17:00.000Z',
      end: '2026-03-14T02:17:00.000Z',
      step: '15s',
    });
    assert.equal(
      r.truncated,
      '1 series downsampled to at most 20 points (each interval keeps its lowest and highest point)',
    );
    assert.equal(prom.requests[0]?.path, '/api/v1/query_range');
    assert.equal(prom.requests[0]?.params.step, '15');
  });

  it('nothing cut, nothing said', async () => {
    const r = await run({ query: 'container_memory_working_set_bytes{pod="web-1"}' });
    assert.equal(r.truncated, undefined);
  });

  it('a long range gets a step coarse enough for Prometheus’s 11,000-point limit', async () => {
    const r = await run({ query: 'up', range: { duration: '24h', step: '1s' } });
    assert.ok(!('error' in (r.data as object)), JSON.stringify(r.data));
    assert.equal(prom.requests[0]?.params.step, '8');
  });

  it('refuses what is not a read query of the API, and never sends it', () => {
    const refused = [
      { query: '/api/v1/admin/tsdb/delete_series?match[]=up' },
      { query: 'http://prometheus:9090/api/v1/admin/tsdb/snapshot' },
      { query: 'up /api/v1/write' },
      { query: `up${'+up'.repeat(400)}` },
      { query: '   ' },
      { query: 'up\u0000' },
      { query: 'up', range: { duration: '2d' } },
      { query: 'up', range: { duration: '1h', step: '10ms' } },
      { query: 'up', extra: 1 },
    ];
    for (const input of refused)
      assert.equal(tool.input.safeParse(input).success, false, JSON.stringify(input));
    assert.equal(prom.requests.length, 0);
  });

  it('a call that skips parsing is still refused by the tool itself', async () => {
    const r = await tool.run({ query: '/api/v1/admin/tsdb/clean_tombstones' }, { cluster: 'default' });
    assert.match(
      String((r.data as { error: string }).error),
      /metrics_query refused: only PromQL expressions/,
    );
    assert.equal(prom.requests.length, 0);
  });

  it('an incident in another cluster gets no numbers from this Prometheus', async () => {
    const r = await run({ query: 'up' }, 'eu-prod');
    assert.match(String((r.data as { error: string }).error), /watches cluster "default", not "eu-prod"/);
    assert.equal(prom.requests.length, 0);
  });

  it('a Prometheus error comes back as data for the model', async () => {
    const r = await run({ query: 'rate(up[5m])' });
    assert.match(
      String((r.data as { error: string }).error),
      /^metrics_query failed: Prometheus answered 400 bad_data/,
    );
  });

  it('downsample keeps order, the extremes, and never more than asked', () => {
    const points = Array.from({ length: 100 }, (_, i) => [i, i === 37 ? 1_000 : i === 71 ? -5 : 1] as const);
    const out = downsample(points, 10);
    assert.ok(out.length <= 10);
    assert.deepEqual(
      out.map(([t]) => t),
      [...out.map(([t]) => t)].sort((a, b) => a - b),
    );
    assert.ok(out.some(([t]) => t === 37) && out.some(([t]) => t === 71));
    assert.deepEqual(downsample(points.slice(0, 3), 10), points.slice(0, 3));
    assert.equal(downsample(points, 1).length, 1);
  });
});
