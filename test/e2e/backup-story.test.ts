// The night Belay exists to prevent, through the real composition root: postgres-0 sits at 6.2 GB (real
// samples from Prometheus) at 02:17 because its nightly backup runs. Belay blocks the restart and says
// until when; no click can run it. At 14:00 the same alert asks the DBA, and only then can it run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { statefulSet } from '../fakes/kube-api-builders.ts';
import { backupCronJob, jobOf, jobStatus, scheduledJobName } from '../fakes/kube-api-jobs.ts';
import { type FakePrometheus, startFakePrometheus } from '../fakes/prometheus-server.ts';
import {
  buttonValue,
  click,
  deliverAlert,
  eventually,
  everythingSaid,
  startWorld,
  type World,
} from './support.ts';

const NIGHT = new Date('2026-03-14T02:17:00Z');
const RULE = `  - name: memory-pressure-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: 60s }
      notInWindow: true
      notRestartedWithin: 1h
      namespaceClass: { notIn: [production-critical] }
`;

async function memoryAlert(
  world: World,
  startsAt: Date,
  fingerprint: string,
  status: 'firing' | 'resolved' = 'firing',
) {
  const labels = { namespace: 'databases', pod: 'postgres-0', container: 'postgres', severity: 'critical' };
  const response = await deliverAlert(world, {
    name: 'PodMemoryHigh',
    labels,
    startsAt,
    fingerprint,
    status,
  });
  assert.equal(response.status, 200);
}

describe('end to end: the 02:17 backup story', () => {
  let world: World;
  let prometheus: FakePrometheus;

  /** Memory of postgres-0 at 6.2 GB for the three minutes before `at`, as cAdvisor reports it. */
  function memoryUntil(at: Date) {
    const end = Math.floor(at.getTime() / 1000);
    const samples: [number, number][] = [];
    for (let t = end - 180; t <= end; t += 15) samples.push([t, 6.2e9]);
    prometheus.series.push({
      labels: {
        __name__: 'container_memory_working_set_bytes',
        namespace: 'databases',
        pod: 'postgres-0',
        container: 'postgres',
      },
      samples,
    });
  }

  before(async () => {
    prometheus = await startFakePrometheus();
    const extra = `
windows:
  - name: postgres-nightly-backup
    kind: backup
    schedule: "0 2 * * *"
    duration: 45m
    timezone: UTC
    selector: { namespaces: [databases], names: ["postgres-*"] }
prometheus:
  url: ${prometheus.url}
`;
    world = await startWorld(extra, RULE, NIGHT);
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'databases' } },
      statefulSet('databases', 'postgres'),
    );
    memoryUntil(NIGHT);
  });
  after(async () => {
    await world?.close();
    await prometheus?.close();
  });

  const evictions = () => world.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun);

  it('at 02:17 blocks the restart inside the backup window, says until when, and offers no button', async () => {
    await memoryAlert(world, new Date(NIGHT.getTime() - 60_000), 'pg-night');
    await eventually('the incident message', () => /postgres-nightly-backup/.test(everythingSaid(world)));
    const said = everythingSaid(world);
    assert.match(
      said,
      /Blocked.*restart pod databases\/postgres-0.*backup window postgres-nightly-backup until 02:45 UTC/,
    );
    assert.equal(buttonValue(world, 'belay.approve', /postgres-0/), undefined, 'nothing to approve');
    assert.ok(
      prometheus.requests.some((r) => r.path.endsWith('/query_range')),
      'the memory was read from Prometheus',
    );
    assert.equal(evictions().length, 0);
  });

  it('at 14:00 asks the DBA, and runs only on the DBA’s approval', async () => {
    // The backup finished, memory fell, and the night's alert resolved.
    world.clock.advance(40 * 60_000);
    await memoryAlert(world, new Date(NIGHT.getTime() - 60_000), 'pg-night', 'resolved');
    await eventually('the resolve', () => /Resolved: the alerts stopped firing/.test(everythingSaid(world)));
    world.clock.advance(Date.parse('2026-03-14T14:00:00Z') - world.clock.now().getTime());
    const afternoon = world.clock.now();
    memoryUntil(afternoon);
    world.slack.calls.length = 0;
    await memoryAlert(world, new Date(afternoon.getTime() - 60_000), 'pg-afternoon');
    const id = await eventually('the Approve button', () =>
      buttonValue(world, 'belay.approve', /postgres-0/),
    );
    assert.match(everythingSaid(world), /Needs approval.*production-critical/);
    const oncall = click(world, 'belay.approve', id, 'U0SRE0001');
    await oncall.send();
    await eventually('the refusal', () => world.slack.calls.some((c) => c.method === oncall.responseMethod));
    assert.equal(evictions().length, 0, 'an on-call engineer of staging may not approve it');
    await click(world, 'belay.approve', id, 'U0DBA0001').send();
    await eventually('the eviction', () => evictions().length === 1);
    assert.ok(
      world.kube.store.get('pods', 'databases', 'postgres-0'),
      'the StatefulSet brings postgres-0 back',
    );
  });
});

describe('end to end: 03:10, the backup is still running', () => {
  // The nightly backup usually takes 40 minutes; tonight it still runs at 03:10, long after its schedule
  // said it would end. No window is written in belay.yaml: Belay finds the CronJob and its running Job.
  const LATE = new Date('2026-03-14T03:10:00Z');
  const cron = backupCronJob('databases', 'postgres-backup');
  const tonight = scheduledJobName('postgres-backup', '2026-03-14T02:00:00Z');
  let world: World;
  let prometheus: FakePrometheus;

  function memoryUntil(at: Date) {
    const end = Math.floor(at.getTime() / 1000);
    const samples: [number, number][] = [];
    for (let t = end - 180; t <= end; t += 15) samples.push([t, 6.2e9]);
    prometheus.series.push({
      labels: {
        __name__: 'container_memory_working_set_bytes',
        namespace: 'databases',
        pod: 'postgres-0',
        container: 'postgres',
      },
      samples,
    });
  }

  before(async () => {
    prometheus = await startFakePrometheus();
    world = await startWorld(`prometheus:\n  url: ${prometheus.url}\n`, RULE, LATE);
    const nights = [11, 12, 13].map((day) => {
      const start = `2026-03-${day}T02:00:00Z`;
      const endedAt = new Date(Date.parse(start) + 40 * 60_000).toISOString();
      return jobOf(cron, scheduledJobName('postgres-backup', start), {
        state: 'succeeded',
        startTime: start,
        endedAt,
      });
    });
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'databases' } },
      statefulSet('databases', 'postgres'),
      cron,
      ...nights,
      jobOf(cron, tonight, { state: 'running', startTime: '2026-03-14T02:00:00Z' }),
    );
    memoryUntil(LATE);
  });
  after(async () => {
    await world?.close();
    await prometheus?.close();
  });

  const evictions = () => world.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun);

  it('blocks the restart because the backup Job has not finished, and offers no button', async () => {
    await memoryAlert(world, new Date(LATE.getTime() - 60_000), 'pg-late');
    await eventually('the incident message', () => new RegExp(tonight).test(everythingSaid(world)));
    assert.match(
      everythingSaid(world),
      /Blocked.*restart pod databases\/postgres-0.*backup job postgres-backup-29557560 has been running since 02:00 UTC \(recent runs took about 40 min\) and has not finished/,
    );
    assert.equal(buttonValue(world, 'belay.approve', /postgres-0/), undefined, 'nothing to approve');
    assert.equal(evictions().length, 0);
  });

  it('once the Job has completed and its margin passed, the same alert asks the DBA', async () => {
    const job = world.kube.store.get('jobs', 'databases', tonight);
    job.status = jobStatus({
      state: 'succeeded',
      startTime: '2026-03-14T02:00:00Z',
      endedAt: '2026-03-14T03:20:00Z',
    });
    world.kube.store.put('jobs', job);
    world.clock.advance(Date.parse('2026-03-14T03:36:00Z') - world.clock.now().getTime());
    await memoryAlert(world, new Date(LATE.getTime() - 60_000), 'pg-late', 'resolved');
    await eventually('the resolve', () => /Resolved: the alerts stopped firing/.test(everythingSaid(world)));
    world.slack.calls.length = 0;
    memoryUntil(world.clock.now());
    await memoryAlert(world, new Date(world.clock.now().getTime() - 60_000), 'pg-after');
    await eventually('the Approve button', () => buttonValue(world, 'belay.approve', /postgres-0/));
    assert.match(everythingSaid(world), /Needs approval.*production-critical/);
    assert.doesNotMatch(everythingSaid(world), /has not finished/);
    assert.equal(evictions().length, 0);
  });
});
