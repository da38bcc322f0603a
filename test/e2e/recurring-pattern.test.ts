// Invariant 8 end to end: Belay learned, from two weeks of a real Prometheus's history, that staging's
// worker rises every night at 02:00 while a CronJob runs. At 02:17 an auto rule wants to scale it: Belay
// holds back and says on the card that this looks expected, with the window that would name it. The same
// rule on a workload without a pattern runs on its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deployment } from '../fakes/kube-api-builders.ts';
import { type HistorySeries, noiseAt } from '../fakes/openmetrics-history.ts';
import { type RunningPrometheus, startPrometheusWithHistory } from '../fakes/prometheus-tsdb.ts';
import { deliverAlert, eventually, everythingSaid, INCIDENTS, startWorld, type World } from './support.ts';

const NOW = Date.UTC(2026, 2, 14, 2, 17);
const MINUTE = 60_000;
const DAY = 86_400_000;
const RULES = `  - name: scale-on-queue-backlog
    action: scale
    replicas: 4
    mode: auto
    when:
      alert: { name: QueueBacklogHigh }
      namespaceClass: { notIn: [production-critical] }
`;

// Each night from 02:01 (its pod takes a minute to start) to 02:35 the export Job runs and the worker's memory triples; otherwise it idles at 300 MB.
function nightlyExport(): HistorySeries[] {
  const exporting = (t: number) => {
    const minute = (t % DAY) / MINUTE;
    return minute >= 121 && minute < 155;
  };
  const pod = { namespace: 'staging', pod: 'worker-5d8f7b9c6-abcde' };
  const gauge = (
    name: string,
    labels: Record<string, string>,
    valueAt: HistorySeries['valueAt'],
  ): HistorySeries => ({
    name,
    type: 'gauge',
    help: name,
    labels,
    valueAt,
  });
  const job = (t: number) => `nightly-export-${Math.floor(t / DAY) * (DAY / MINUTE) + 120}`;
  return [
    gauge(
      'container_memory_working_set_bytes',
      { ...pod, container: 'worker' },
      (t) => (exporting(t) ? 0.9e9 : 0.3e9) + noiseAt(31, t) * 0.01e9,
    ),
    gauge(
      'kube_pod_owner',
      { ...pod, owner_kind: 'ReplicaSet', owner_name: 'worker-5d8f7b9c6', owner_is_controller: 'true' },
      () => 1,
    ),
    gauge(
      'kube_replicaset_owner',
      {
        namespace: 'staging',
        replicaset: 'worker-5d8f7b9c6',
        owner_kind: 'Deployment',
        owner_name: 'worker',
        owner_is_controller: 'true',
      },
      () => 1,
    ),
    // One Job a night, named as the CronJob controller names them; kube-state-metrics keeps it a while after.
    ...Array.from({ length: 15 }, (_, i): HistorySeries[] => {
      const start = Math.floor(NOW / DAY) * DAY - i * DAY + 120 * MINUTE;
      const labels = { namespace: 'staging', job_name: job(start) };
      const alive = (t: number) => t >= start && t < start + 6 * 3_600_000;
      return [
        gauge('kube_job_status_active', labels, (t) =>
          alive(t) ? (t < start + 35 * MINUTE ? 1 : 0) : undefined,
        ),
        gauge(
          'kube_job_owner',
          { ...labels, owner_kind: 'CronJob', owner_name: 'nightly-export', owner_is_controller: 'true' },
          (t) => (alive(t) ? 1 : undefined),
        ),
      ];
    }).flat(),
  ];
}

describe('end to end: a recurring pattern no window covers holds an auto rule back, and the card says why', () => {
  let prometheus: RunningPrometheus;
  let world: World;
  const replicas = (name: string) => world.kube.store.get('deployments', 'staging', name)?.spec.replicas;

  before(async () => {
    prometheus = await startPrometheusWithHistory({
      key: `e2e-nightly-export-0201-${NOW / MINUTE}`,
      series: nightlyExport(),
      span: { startMs: NOW - 14 * DAY, endMs: NOW, stepMs: MINUTE },
    });
    // Without novelty, the first automatic scale needs no earlier approval of its kind.
    world = await startWorld(
      `novelty: false\nprometheus:\n  url: ${prometheus.url}\n  patterns: { lookback: 14d }\n`,
      RULES,
      new Date(NOW),
    );
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'staging' } },
      deployment('staging', 'worker', { replicas: 2 }),
      deployment('staging', 'mailer', { replicas: 2 }),
    );
  });
  after(async () => {
    await world?.close();
    await prometheus?.stop();
  });

  it('learns the pattern in the background, from the real Prometheus', async () => {
    const cache = world.belay.patterns;
    assert.ok(cache, 'prometheus.patterns is set, so the cache runs');
    const reading = await cache.refresh();
    assert.ok(reading.ok, reading.ok ? '' : reading.error);
    assert.equal(cache.current().length, 1, JSON.stringify(cache.current()));
    assert.deepEqual(cache.current()[0]?.target.workload, { kind: 'Deployment', name: 'worker' });
  });

  it('holds the auto rule back at 02:17 and cautions on the card, with the window to add', async () => {
    const response = await deliverAlert(world, {
      name: 'QueueBacklogHigh',
      labels: { namespace: 'staging', deployment: 'worker' },
      startsAt: new Date(NOW - 2 * MINUTE),
      fingerprint: 'w1',
    });
    assert.equal(response.status, 200);
    const card = await eventually('the incident card about worker', () =>
      world.slack
        .served('chat.postMessage')
        .find((c) => c.body.channel === INCIDENTS && /staging\/worker/.test(JSON.stringify(c.body))),
    );
    const text = JSON.stringify(card.body);
    assert.match(
      text,
      /worker's memory rises like this every night 02:00–02:[34]\d UTC \(13 of the last 13 nights\), while CronJob nightly-export runs: this looks expected\. Consider a window: nightly-export: maintenance, schedule \\"0 2 \* \* \*\\", duration \d+m, timezone UTC, clusters \[default\], namespaces \[staging\], names \[worker\]/,
    );
    assert.doesNotMatch(everythingSaid(world), /Done automatically/);
    assert.equal(replicas('worker'), 2, 'nothing ran on its own');
    assert.equal(world.kube.writes().length, 0);
  });

  it('lets the same auto rule act on a workload without a pattern', async () => {
    const response = await deliverAlert(world, {
      name: 'QueueBacklogHigh',
      labels: { namespace: 'staging', deployment: 'mailer' },
      startsAt: new Date(NOW - 2 * MINUTE),
      fingerprint: 'm1',
    });
    assert.equal(response.status, 200);
    await eventually('four mailers', () => replicas('mailer') === 4);
    assert.equal(replicas('worker'), 2);
  });
});
