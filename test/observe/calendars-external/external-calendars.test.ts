import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createAlertmanagerSilences,
  createPagerDutyMaintenance,
} from '../../../src/observe/calendars-external/index.ts';
import { startCaptureServer } from '../../fakes/capture-server.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { startPagerDutyApi } from '../../fakes/pagerduty-api.ts';

const target = {
  cluster: 'homelab',
  namespace: 'shop',
  names: ['postgres', 'postgres-0'],
  labels: { namespace: 'shop', pod: 'postgres-0', alertname: 'PostgresMemoryHigh' },
};

describe('PagerDuty maintenance windows', () => {
  const clock = new ManualClock('2025-01-01T02:17:00Z');
  let api: Awaited<ReturnType<typeof startPagerDutyApi>>;
  before(async () => {
    api = await startPagerDutyApi({
      token: 'pd-token',
      windows: [
        {
          id: 'PMW1',
          summary: 'nightly backup',
          start_time: '2025-01-01T02:00:00Z',
          end_time: '2025-01-01T03:00:00Z',
          services: [{ id: 'PSHOP' }],
        },
      ],
    });
  });
  after(() => api.close());

  const calendar = (failClosed?: boolean) =>
    createPagerDutyMaintenance({
      token: 'pd-token',
      baseUrl: api.url,
      clock,
      timeoutMs: 200,
      cacheMs: 30_000,
      services: [
        { id: 'PSHOP', selector: { namespaces: ['shop'] } },
        { id: 'PCART', selector: { namespaces: ['cart'] } },
      ],
      ...(failClosed === undefined ? {} : { failClosed }),
    });

  it('gives the ongoing window of the service covering the target, with its source', async () => {
    const cal = calendar();
    const result = await cal.windowsFor(target);
    assert.deepEqual(result.problems, []);
    assert.equal(result.windows.length, 1);
    assert.deepEqual(result.windows[0]?.source, { type: 'pagerduty', ref: 'PMW1' });
    assert.deepEqual(result.windows[0]?.timing, {
      type: 'one-off',
      from: new Date('2025-01-01T02:00:00Z'),
      to: new Date('2025-01-01T03:00:00Z'),
    });
    assert.match(api.requests.at(-1)?.url ?? '', /filter=ongoing&service_ids%5B%5D=PSHOP/);
    const other = await cal.windowsFor({ ...target, namespace: 'search' });
    assert.deepEqual(other, { windows: [], problems: [] });
  });

  it('asks once per cache period, and drops a window that ended meanwhile', async () => {
    const cal = calendar();
    const before = api.requests.length;
    await cal.windowsFor(target);
    await cal.windowsFor(target);
    assert.equal(api.requests.length, before + 1);
    clock.set('2025-01-01T03:00:10Z');
    assert.deepEqual((await cal.windowsFor(target)).windows, [], 'cached answer, but the window is over');
    clock.set('2025-01-01T02:17:00Z');
  });

  it('fails closed when PagerDuty errors or hangs, or open when configured so', async () => {
    api.state.mode = 'error';
    const closed = await calendar().windowsFor(target);
    assert.equal(closed.problems[0]?.failClosed, true);
    assert.match(closed.problems[0]?.message ?? '', /HTTP 500/);
    api.state.mode = 'hang';
    const started = performance.now();
    const hung = await calendar(false).windowsFor(target);
    assert.ok(performance.now() - started < 2_000, 'a short timeout, not a stuck decision');
    assert.equal(hung.problems[0]?.failClosed, false);
    assert.match(hung.problems[0]?.message ?? '', /no answer within 200 ms/);
    api.state.mode = 'ok';
  });
});

describe('Alertmanager silences, unit', () => {
  it('ignores expired and pending silences and checks every matcher, negative and regex ones too', async () => {
    const clock = new ManualClock('2025-01-01T10:00:00Z');
    const silence = (id: string, state: string, matchers: object[]) => ({
      id,
      matchers,
      startsAt: '2025-01-01T09:00:00Z',
      endsAt: '2025-01-01T11:00:00Z',
      createdBy: 'alice',
      comment: `${id} comment`,
      updatedAt: '2025-01-01T09:00:00Z',
      status: { state },
    });
    const am = await startCaptureServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify([
          silence('s-active', 'active', [
            { name: 'pod', value: 'postgres-.*', isRegex: true, isEqual: true },
          ]),
          silence('s-expired', 'expired', [{ name: 'namespace', value: 'shop', isRegex: false }]),
          silence('s-pending', 'pending', [{ name: 'namespace', value: 'shop', isRegex: false }]),
          silence('s-other', 'active', [{ name: 'namespace', value: 'cart', isRegex: false }]),
          silence('s-negative', 'active', [
            { name: 'namespace', value: 'shop', isRegex: false },
            { name: 'alertname', value: 'PostgresMemoryHigh', isRegex: false, isEqual: false },
          ]),
        ]),
      );
    });
    try {
      const result = await createAlertmanagerSilences({ url: am.url, clock }).windowsFor(target);
      assert.deepEqual(
        result.windows.map((w) => w.source.ref),
        ['s-active'],
      );
      assert.equal(result.windows[0]?.name, '"s-active comment" (silenced by alice)');
    } finally {
      await am.close();
    }
  });

  it('says what is wrong when the answer is not silences', async () => {
    const clock = new ManualClock();
    const am = await startCaptureServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"not":"a list"}');
    });
    try {
      const result = await createAlertmanagerSilences({ url: am.url, clock, failClosed: true }).windowsFor(
        target,
      );
      assert.equal(result.problems[0]?.failClosed, true);
      assert.match(result.problems[0]?.message ?? '', /not a list of silences/);
    } finally {
      await am.close();
    }
  });
});
