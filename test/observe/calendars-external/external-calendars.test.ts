import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { occurrencesAt } from '../../../src/observe/calendar/index.ts';
import {
  createAlertmanagerSilences,
  createPagerDutyMaintenance,
  silenceLabelSets,
} from '../../../src/observe/calendars-external/index.ts';
import { startCaptureServer } from '../../fakes/capture-server.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { startPagerDutyApi } from '../../fakes/pagerduty-api.ts';

// What the cluster says about the target: its pod's Kubernetes labels, never alert labels.
const target = {
  cluster: 'homelab',
  namespace: 'shop',
  names: ['postgres', 'postgres-0'],
  labels: { 'app.kubernetes.io/name': 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-0' },
};
const targetFacts = {
  cluster: 'homelab',
  namespace: 'shop',
  pod: { name: 'postgres-0', labels: target.labels, restartCount: 0, containers: ['postgres', 'exporter'] },
  owner: { kind: 'StatefulSet' as const, name: 'postgres' },
};
// What silences are matched against: the target named as alerts name it, and the incident's alerts.
const labelSets = silenceLabelSets({
  ...targetFacts,
  alertLabels: [
    { alertname: 'PostgresMemoryHigh', namespace: 'shop', pod: 'postgres-0', severity: 'warning' },
  ],
});

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
    const result = await cal.windowsFor(target, labelSets);
    assert.deepEqual(result.problems, []);
    assert.equal(result.windows.length, 1);
    assert.deepEqual(result.windows[0]?.source, { type: 'pagerduty', ref: 'PMW1' });
    assert.deepEqual(result.windows[0]?.timing, {
      type: 'one-off',
      from: new Date('2025-01-01T02:00:00Z'),
      to: new Date('2025-01-01T03:00:00Z'),
    });
    assert.match(api.requests.at(-1)?.url ?? '', /filter=ongoing&service_ids%5B%5D=PSHOP/);
    const other = await cal.windowsFor({ ...target, namespace: 'search' }, []);
    assert.deepEqual(other, { windows: [], problems: [] });
  });

  it('asks once per cache period, and drops a window that ended meanwhile', async () => {
    const cal = calendar();
    const before = api.requests.length;
    await cal.windowsFor(target, labelSets);
    await cal.windowsFor(target, labelSets);
    assert.equal(api.requests.length, before + 1);
    clock.set('2025-01-01T03:00:10Z');
    assert.deepEqual(
      (await cal.windowsFor(target, labelSets)).windows,
      [],
      'cached answer, but the window is over',
    );
    clock.set('2025-01-01T02:17:00Z');
  });

  it('fails closed when PagerDuty errors or hangs, or open when configured so', async () => {
    api.state.mode = 'error';
    const closed = await calendar().windowsFor(target, labelSets);
    assert.equal(closed.problems[0]?.failClosed, true);
    assert.match(closed.problems[0]?.message ?? '', /HTTP 500/);
    api.state.mode = 'hang';
    const started = performance.now();
    const hung = await calendar(false).windowsFor(target, labelSets);
    assert.ok(performance.now() - started < 2_000, 'a short timeout, not a stuck decision');
    assert.equal(hung.problems[0]?.failClosed, false);
    assert.match(hung.problems[0]?.message ?? '', /no answer within 200 ms/);
    api.state.mode = 'ok';
  });
});

describe('Alertmanager silences, unit', () => {
  // Each silence with whether it covers restart-pod shop/postgres-0 and why, in Alertmanager's own terms.
  const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
  const ne = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: false });
  const re = (name: string, value: string) => ({ name, value, isRegex: true, isEqual: true });
  const nre = (name: string, value: string) => ({ name, value, isRegex: true, isEqual: false });
  const cases: { id: string; matchers: object[]; covers: boolean; state?: string; why: string }[] = [
    {
      id: 'ns-pod',
      matchers: [eq('namespace', 'shop'), eq('pod', 'postgres-0')],
      covers: true,
      why: 'alert labels of the pod',
    },
    {
      id: 'statefulset',
      matchers: [eq('statefulset', 'postgres')],
      covers: true,
      why: "the workload under its kind's label",
    },
    { id: 'workload', matchers: [eq('workload', 'postgres')], covers: true, why: 'the workload label' },
    {
      id: 'deployment',
      matchers: [eq('deployment', 'postgres')],
      covers: false,
      why: 'the owner is a StatefulSet',
    },
    { id: 'container', matchers: [eq('container', 'exporter')], covers: true, why: 'one of its containers' },
    {
      id: 'other-container',
      matchers: [eq('container', 'sidecar')],
      covers: false,
      why: 'no such container',
    },
    {
      id: 'cluster',
      matchers: [eq('cluster', 'homelab'), eq('pod', 'postgres-0')],
      covers: true,
      why: 'its cluster',
    },
    { id: 'other-cluster', matchers: [eq('cluster', 'prod')], covers: false, why: 'another cluster' },
    {
      id: 'alertname',
      matchers: [eq('alertname', 'PostgresMemoryHigh')],
      covers: true,
      why: "the incident's alert",
    },
    { id: 'other-alert', matchers: [eq('alertname', 'DiskFull')], covers: false, why: 'no such alert' },
    { id: 'severity', matchers: [eq('severity', 'critical')], covers: false, why: 'the alert is a warning' },
    { id: 'anchored', matchers: [re('pod', 'postgres')], covers: false, why: 'regexes are fully anchored' },
    { id: 'regex', matchers: [re('pod', 'postgres-.*')], covers: true, why: 'anchored regex' },
    {
      id: 're2-flag',
      matchers: [re('pod', '(?i)POSTGRES-[[:digit:]]')],
      covers: true,
      why: 'RE2 flag and class',
    },
    {
      id: 'not-regex',
      matchers: [nre('pod', 'postgres-.*'), eq('namespace', 'shop')],
      covers: false,
      why: '!~ excludes it',
    },
    { id: 'unreadable', matchers: [re('pod', '\\pL+')], covers: true, why: 'an unreadable regex blocks' },
    {
      id: 'absent-empty',
      matchers: [eq('team', ''), eq('pod', 'postgres-0')],
      covers: true,
      why: 'absent is empty',
    },
    {
      id: 'absent-ne',
      matchers: [eq('namespace', 'shop'), ne('alertname', 'PostgresMemoryHigh')],
      covers: true,
      why: "it would silence the pod's other alerts (they have no such alertname)",
    },
    { id: 'other-ns', matchers: [eq('namespace', 'cart')], covers: false, why: 'another namespace' },
    { id: 'expired', matchers: [eq('namespace', 'shop')], state: 'expired', covers: false, why: 'expired' },
    {
      id: 'pending',
      matchers: [eq('namespace', 'shop')],
      state: 'pending',
      covers: false,
      why: 'not started',
    },
  ];

  it('matches each silence against the alerts of the incident and the target named as alerts name it', async () => {
    const clock = new ManualClock('2025-01-01T10:00:00Z');
    const am = await startCaptureServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          cases.map((c) => ({
            id: c.id,
            matchers: c.matchers,
            startsAt: '2025-01-01T09:00:00Z',
            endsAt: '2025-01-01T11:00:00Z',
            createdBy: 'alice',
            comment: `${c.id} comment`,
            updatedAt: '2025-01-01T09:00:00Z',
            status: { state: c.state ?? 'active' },
          })),
        ),
      );
    });
    try {
      const result = await createAlertmanagerSilences({ url: am.url, clock }).windowsFor(target, labelSets);
      const covering = new Set(result.windows.map((w) => w.source.ref));
      for (const c of cases) assert.equal(covering.has(c.id), c.covers, `${c.id}: ${c.why}`);
      assert.equal(
        result.windows.find((w) => w.source.ref === 'ns-pod')?.name,
        '"ns-pod comment" (silenced by alice)',
      );
      // The Kubernetes labels of the pod are not alert labels: without alerts or identity nothing matches.
      const podLabelsOnly = await createAlertmanagerSilences({ url: am.url, clock, cacheMs: 0 }).windowsFor(
        target,
        [target.labels],
      );
      assert.deepEqual(
        podLabelsOnly.windows
          .map((w) => w.source.ref)
          .filter((id) => id === 'ns-pod' || id === 'statefulset'),
        [],
      );
    } finally {
      await am.close();
    }
  });

  it("an active silence is in force now even when it starts a second ahead of Belay's clock", async () => {
    // Alertmanager sets startsAt to its own now; a Belay clock a second behind must not drop the silence.
    const clock = new ManualClock('2025-01-01T10:00:00Z');
    const am = await startCaptureServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify([
          {
            id: 'fresh',
            matchers: [{ name: 'pod', value: 'postgres-0', isRegex: false, isEqual: true }],
            startsAt: '2025-01-01T10:00:01.500Z',
            endsAt: '2025-01-01T12:00:00Z',
            createdBy: 'dana',
            comment: 'pg_upgrade',
            status: { state: 'active' },
          },
        ]),
      );
    });
    try {
      const result = await createAlertmanagerSilences({ url: am.url, clock }).windowsFor(target, labelSets);
      const inForce = occurrencesAt(result.windows, target, clock.now());
      assert.deepEqual(
        inForce.map((w) => w.source.ref),
        ['fresh'],
      );
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
        labelSets,
      );
      assert.equal(result.problems[0]?.failClosed, true);
      assert.match(result.problems[0]?.message ?? '', /not a list of silences/);
    } finally {
      await am.close();
    }
  });
});
