import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createPrometheusClient } from '../../../src/observe/prometheus/index.ts';
import { error, type FakePrometheus, startFakePrometheus } from '../../fakes/prometheus-server.ts';

const T = Date.parse('2026-03-14T02:17:00Z') / 1_000;

describe('Prometheus client', () => {
  let prom: FakePrometheus;
  beforeEach(async () => {
    prom = await startFakePrometheus();
    prom.series.push({
      labels: {
        __name__: 'container_memory_working_set_bytes',
        namespace: 'databases',
        pod: 'postgres-0',
        container: 'postgres',
      },
      samples: [
        [T - 120, 6.1e9],
        [T - 60, 6.2e9],
        [T, 6.3e9],
      ],
    });
  });
  afterEach(() => prom.close());

  const client = (extra: { bearerToken?: string; timeoutMs?: number; url?: string } = {}) =>
    createPrometheusClient({ url: extra.url ?? prom.url, timeoutMs: extra.timeoutMs ?? 2_000, ...extra });

  it('instant query: GET /api/v1/query with query, time and its own timeout, and the bearer token', async () => {
    const answer = await client({ bearerToken: 's3cret' }).instant('container_memory_working_set_bytes', {
      time: new Date(T * 1_000),
    });
    assert.ok(answer.ok);
    assert.deepEqual(answer.data, {
      resultType: 'vector',
      result: [
        {
          metric: {
            __name__: 'container_memory_working_set_bytes',
            namespace: 'databases',
            pod: 'postgres-0',
            container: 'postgres',
          },
          value: [T, '6300000000'],
        },
      ],
    });
    assert.deepEqual(prom.requests, [
      {
        method: 'GET',
        path: '/api/v1/query',
        params: { query: 'container_memory_working_set_bytes', time: T.toFixed(3), timeout: '2000ms' },
        authorization: 'Bearer s3cret',
      },
    ]);
  });

  it('range query: start, end and step, one value per step with the lookback', async () => {
    const answer = await client().range('container_memory_working_set_bytes', {
      start: new Date((T - 120) * 1_000),
      end: new Date(T * 1_000),
      stepSeconds: 30,
    });
    assert.ok(answer.ok);
    assert.equal(answer.data.resultType, 'matrix');
    const values = answer.data.resultType === 'matrix' ? answer.data.result[0]?.values : [];
    assert.deepEqual(values, [
      [T - 120, '6100000000'],
      [T - 90, '6100000000'],
      [T - 60, '6200000000'],
      [T - 30, '6200000000'],
      [T, '6300000000'],
    ]);
    assert.equal(prom.requests[0]?.path, '/api/v1/query_range');
    assert.equal(prom.requests[0]?.params.step, '30');
    assert.equal(prom.requests[0]?.authorization, undefined, 'no token configured, no header');
  });

  it('keeps a proxy path prefix in front of /api/v1', async () => {
    prom.script.push({
      status: 200,
      body: { status: 'success', data: { resultType: 'vector', result: [] } },
    });
    const answer = await client({ url: `${prom.url}/prometheus/` }).instant('up');
    assert.ok(answer.ok);
    assert.equal(prom.requests[0]?.path, '/prometheus/api/v1/query');
  });

  it('400 bad_data says the query is not valid PromQL, with Prometheus’s own words', async () => {
    const answer = await client().instant('sum(');
    assert.deepEqual(answer, {
      ok: false,
      error:
        'Prometheus answered 400 bad_data: 1:1: parse error: cannot parse "sum(" (the query or its parameters are not valid PromQL; fix the query)',
    });
  });

  it('422 execution and 503 timeout say what to do next', async () => {
    prom.script.push(
      { status: 422, body: error('execution', 'query processing would load too many samples into memory') },
      { status: 503, body: error('timeout', 'query timed out in expression evaluation') },
      { status: 503, body: '<html>upstream connect error</html>' },
    );
    const a = await client().instant('up');
    const b = await client().instant('up');
    const c = await client().instant('up');
    assert.equal(
      !a.ok && a.error,
      'Prometheus answered 422 execution: query processing would load too many samples into memory (Prometheus could not run it; narrow the query)',
    );
    assert.equal(
      !b.ok && b.error,
      'Prometheus answered 503 timeout: query timed out in expression evaluation (Prometheus gave up; use a shorter range or fewer series, or try again)',
    );
    assert.equal(
      !c.ok && c.error,
      `HTTP 503 from ${prom.url}, not a Prometheus answer (a proxy in between?)`,
    );
  });

  it('a refused token names the setting, never the token', async () => {
    prom.script.push({ status: 401, body: 'Unauthorized' });
    const answer = await client({ bearerToken: 'tok-123' }).instant('up');
    assert.equal(answer.ok, false);
    assert.match(!answer.ok ? answer.error : '', /refused Belay's credentials \(HTTP 401\).*bearerTokenEnv/);
    assert.doesNotMatch(!answer.ok ? answer.error : '', /tok-123/);
  });

  it('a Prometheus that never answers times out on the configured timeout', async () => {
    prom.script.push('hang');
    const started = performance.now();
    const answer = await client({ timeoutMs: 150 }).instant('up');
    assert.deepEqual(answer, { ok: false, error: `Prometheus at ${prom.url} did not answer within 150 ms` });
    assert.ok(performance.now() - started < 2_000);
  });

  it('a Prometheus nobody listens on says it cannot be reached', async () => {
    const url = prom.url;
    await prom.close();
    const answer = await client({ url }).instant('up');
    assert.equal(answer.ok, false);
    assert.match(
      !answer.ok ? answer.error : '',
      /could not reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('a success envelope of the wrong shape is refused, not trusted', async () => {
    prom.script.push({
      status: 200,
      body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 2] }] } },
    });
    const answer = await client().instant('up');
    assert.deepEqual(answer, {
      ok: false,
      error: `the answer from ${prom.url} was not a Prometheus query result`,
    });
  });

  it('refuses a base URL that is not http(s)', () => {
    assert.throws(
      () => createPrometheusClient({ url: 'file:///etc/passwd', timeoutMs: 1_000 }),
      /http or https/,
    );
  });
});
