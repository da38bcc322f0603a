import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CheckState,
  connectionCheck,
  createEventLoopWatch,
  createHealthRegistry,
  evaluateHealth,
  type HealthCheck,
} from '../../src/health/index.ts';

const check = (name: string, probes: HealthCheck['probes'], state: CheckState): HealthCheck => ({
  name,
  probes,
  state: () => state,
});

describe('evaluateHealth: check states → the probe answer', () => {
  const stalled = check('event-loop', ['liveness'], { ok: false, detail: 'blocked 6000 ms' });
  const slackDown = check('slack', ['readiness'], { ok: false, detail: 'socket down' });
  const store = check('store', ['liveness', 'readiness'], { ok: true });
  const states = [stalled, slackDown, store].map((c) => ({ check: c, state: c.state() }));

  it('fails a probe only on the checks it counts, and lists every check either way', () => {
    const live = evaluateHealth('liveness', states);
    assert.equal(live.httpStatus, 503);
    assert.equal(live.body.status, 'unhealthy');
    assert.deepEqual(live.body.problems, [{ check: 'event-loop', detail: 'blocked 6000 ms' }]);
    const ready = evaluateHealth('readiness', states);
    assert.equal(ready.httpStatus, 503);
    assert.equal(ready.body.status, 'unready');
    assert.deepEqual(ready.body.problems, [{ check: 'slack', detail: 'socket down' }]);
    for (const answer of [live, ready])
      assert.deepEqual(
        answer.body.checks.map((c) => [c.check, c.ok]),
        [
          ['event-loop', false],
          ['slack', false],
          ['store', true],
        ],
      );
  });

  it('answers 200 ok / ready when nothing it counts fails, and with no checks at all', () => {
    assert.deepEqual(
      evaluateHealth('readiness', [{ check: store, state: store.state() }]).body.status,
      'ready',
    );
    const empty = evaluateHealth('liveness', []);
    assert.equal(empty.httpStatus, 200);
    assert.equal(empty.body.status, 'ok');
  });
});

describe('health registry', () => {
  it('refuses a second check of the same name, and keeps the first', () => {
    const health = createHealthRegistry();
    health.add(check('store', ['liveness'], { ok: true }));
    assert.throws(
      () => health.add(check('store', ['readiness'], { ok: false, detail: 'x' })),
      /already registered/,
    );
    assert.equal(health.answer('readiness').httpStatus, 200);
  });

  it('a check that throws fails, named, instead of failing the probe', () => {
    const health = createHealthRegistry();
    health.add({
      name: 'slack',
      probes: ['readiness'],
      state: () => {
        throw new Error('no socket yet');
      },
    });
    assert.deepEqual(health.answer('readiness').body.problems, [
      { check: 'slack', detail: 'the slack check failed: no socket yet' },
    ]);
  });
});

describe('event loop watch', () => {
  it('refuses bounds that are not positive numbers', () => {
    assert.throws(() => createEventLoopWatch({ maxStallMs: 0 }), /maxStallMs must be a positive number/);
    assert.throws(() => createEventLoopWatch({ windowMs: Number.NaN }), /windowMs/);
  });

  it('sees a loop blocked right now, before any tick ran', () => {
    let now = 0;
    const watch = createEventLoopWatch({ maxStallMs: 100, intervalMs: 10, now: () => now });
    try {
      assert.deepEqual(watch.state(), { ok: true });
      now = 500;
      const state = watch.state();
      assert.equal(state.ok, false);
      assert.match(state.detail ?? '', /is blocked now for 490 ms \(bound 100 ms\)/);
    } finally {
      watch.stop();
    }
  });
});

describe('connection check', () => {
  let now = 10_000;
  const at = () => now;

  it('passes while up, within its grace, and when there is nothing to watch; fails after the grace', () => {
    let connection: { up: boolean; since: number } | undefined = { up: true, since: 0 };
    const slack = connectionCheck({
      name: 'slack',
      connection: () => connection,
      graceMs: 5_000,
      advice: 'Check Slack.',
      now: at,
    });
    assert.equal(slack.state().ok, true);
    connection = { up: false, since: 8_000 };
    assert.equal(slack.state().ok, true, 'a routine reconnect is not an outage');
    now = 20_000;
    assert.deepEqual(slack.state(), {
      ok: false,
      detail: 'the slack connection has been down for 12 s. Check Slack.',
    });
    connection = undefined;
    assert.equal(slack.state().ok, true);
    assert.deepEqual(slack.probes, ['readiness']);
  });
});
