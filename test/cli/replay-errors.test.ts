// Every wrong input to `belay replay` gets a clear error and an exit code, and nothing is replayed: a wrong
// command line exits 2, a history that cannot be read exits 1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../fakes/free-port.ts';
import { type FakePrometheus, startFakePrometheus } from '../fakes/prometheus-server.ts';
import { naivePolicy, replay } from './replay-support.ts';

const UNTIL = '2026-03-14T14:00:00Z';

describe('belay replay refuses what it cannot replay', () => {
  let prometheus: FakePrometheus;
  before(async () => {
    prometheus = await startFakePrometheus();
  });
  after(() => prometheus.close());

  it('a --since that is neither a duration nor a time: exit 2, nothing asked of Prometheus', async () => {
    const before = prometheus.requests.length;
    for (const since of ['seven days', '0d', '-7d', 'yesterday']) {
      const run = await replay(naivePolicy(prometheus.url, false), [`--since=${since}`, '--until', UNTIL]);
      assert.equal(run.code, 2, since);
      assert.match(run.stderr, /--since ".*" is neither a duration \(7d, 36h, 90m\) nor a time/);
      assert.equal(run.stdout, '');
    }
    assert.equal(prometheus.requests.length, before);
  });

  it('a period that ends before it starts, or an --until that is not a time: exit 2', async () => {
    const backwards = await replay(naivePolicy(prometheus.url, false), [
      '--since',
      '2026-03-15T00:00:00Z',
      '--until',
      UNTIL,
    ]);
    assert.equal(backwards.code, 2);
    assert.match(backwards.stderr, /the period must start before it ends/);
    const garbled = await replay(naivePolicy(prometheus.url, false), ['--since', '7d', '--until', 'tuesday']);
    assert.equal(garbled.code, 2);
    assert.match(garbled.stderr, /--until "tuesday" is not a time; write it like 2026-03-14T14:00:00Z/);
  });

  it('no --config or --since, or an unknown option: exit 2 with the usage', async () => {
    const missing = await replay(naivePolicy(prometheus.url, false), []);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /belay replay needs --config and --since/);
    const unknown = await replay(naivePolicy(prometheus.url, false), ['--since', '7d', '--window', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /usage: belay replay --config FILE --since 7d/);
  });

  it('a rule the policy does not have: exit 2, naming the rules it has and the closest', async () => {
    const before = prometheus.requests.length;
    const run = await replay(naivePolicy(prometheus.url, false), [
      '--since',
      '7d',
      '--until',
      UNTIL,
      '--rule',
      'naive-memory-restrat',
    ]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      'belay replay: The policy has no rule "naive-memory-restrat" (did you mean naive-memory-restart?). Its rules: naive-memory-restart.',
    );
    assert.equal(prometheus.requests.length, before);
  });

  it('an invalid policy file: exit 1, every problem with its line', async () => {
    const run = await replay(naivePolicy(prometheus.url, false).replace('mode: suggest', 'mode: sometimes'), [
      '--since',
      '7d',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /mode/);
    assert.match(run.stderr, /belay replay could not replay: belay\.yaml is not a valid config/);
  });

  it('a Prometheus that does not answer: exit 1, saying where it looked and what to check', async () => {
    const port = await freePort();
    const run = await replay(naivePolicy(`http://127.0.0.1:${port}`, false), [
      '--since',
      '7d',
      '--until',
      UNTIL,
    ]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(
        `belay replay could not replay: Could not read the alert history: could not reach Prometheus at http://127.0.0.1:${port} \\(ECONNREFUSED\\); check prometheus.url`,
      ),
    );
    assert.equal(run.stdout, '');
  });

  it('answers that are not a range of samples, or not Prometheus at all: exit 1, said plainly', async () => {
    const cases = [
      {
        reply: { status: 200, body: { status: 'success', data: { resultType: 'vector', result: [] } } },
        says: /answered the ALERTS history with a vector, not a range of samples/,
      },
      { reply: { status: 200, body: '<html>login</html>' }, says: /was not a Prometheus query result/ },
      {
        reply: { status: 422, body: { status: 'error', errorType: 'execution', error: 'too many samples' } },
        says: /Prometheus answered 422 execution: too many samples \(Prometheus could not run it; narrow the query\)/,
      },
      { reply: { status: 502, body: 'Bad Gateway' }, says: /HTTP 502 from .*, not a Prometheus answer/ },
    ];
    for (const { reply, says } of cases) {
      prometheus.script.push(reply);
      const run = await replay(naivePolicy(prometheus.url, false), ['--since', '7d', '--until', UNTIL]);
      assert.equal(run.code, 1, JSON.stringify(reply));
      assert.match(run.stderr, says);
      assert.equal(run.stdout, '');
    }
  });
});
