// The 02:17 picture through the real composition root: Belay reads six hours of postgres-0's memory from
// Prometheus, draws it with the backup window shaded, uploads it into the incident's thread through Slack's
// external upload flow and points the card at it. Without Prometheus the thread says why there is none.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { statefulSet } from '../fakes/kube-api-builders.ts';
import { type FakePrometheus, startFakePrometheus } from '../fakes/prometheus-server.ts';
import { decodePng, plotPosition } from '../support/png-pixels.ts';
import { deliverAlert, eventually, everythingSaid, startWorld, type World } from './support.ts';

const NIGHT = new Date('2026-03-14T02:17:00Z');
const RULE = `  - name: memory-pressure-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: 60s }
      notInWindow: true
`;
const WINDOW = `
windows:
  - name: postgres-nightly-backup
    kind: backup
    schedule: "0 2 * * *"
    duration: 45m
    selector: { namespaces: [databases], names: ["postgres-*"] }
`;

async function alertAt(world: World) {
  const response = await deliverAlert(world, {
    name: 'PodMemoryHigh',
    labels: { namespace: 'databases', pod: 'postgres-0', container: 'postgres' },
    startsAt: new Date(NIGHT.getTime() - 60_000),
    fingerprint: 'pg-night',
  });
  assert.equal(response.status, 200);
}

describe('end to end: the graph on the card', () => {
  let world: World;
  let prometheus: FakePrometheus;
  before(async () => {
    prometheus = await startFakePrometheus();
    // Flat near 2.1 GB all evening, climbing from 02:00 as the backup loads data, 6.2 GB by 02:10.
    const samples: [number, number][] = [];
    for (let t = NIGHT.getTime() - 7 * 3_600_000; t <= NIGHT.getTime(); t += 15_000) {
      const climb = Math.max(0, Math.min(1, (t - Date.parse('2026-03-14T02:00:00Z')) / 600_000));
      samples.push([t / 1_000, 2.1e9 + climb * 4.1e9]);
    }
    prometheus.series.push({
      labels: {
        __name__: 'container_memory_working_set_bytes',
        namespace: 'databases',
        pod: 'postgres-0',
        container: 'postgres',
      },
      samples,
    });
    world = await startWorld(`${WINDOW}prometheus:\n  url: ${prometheus.url}\n`, RULE, NIGHT);
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'databases' } },
      statefulSet('databases', 'postgres'),
    );
  });
  after(async () => {
    await world?.close();
    await prometheus?.close();
  });

  it("uploads the 02:17 picture into the card's thread, window shaded, and the card points at it", async () => {
    await alertAt(world);
    const file = await eventually('the graph upload', () => world.slack.files.find((f) => f.messageTs));
    assert.equal(file.channel, 'C0INCIDENT1');
    assert.ok(file.threadTs, 'in a thread');
    assert.equal(file.title, 'databases/postgres-0 · memory');
    assert.match(file.altText ?? '', /backup window postgres-nightly-backup 02:00–02:45 UTC/);

    const pixels = decodePng(file.bytes ?? new Uint8Array());
    assert.equal(pixels.width, 1440);
    assert.ok(pixels.distinctColours() > 100, 'not blank');
    const plot = plotPosition('2026-03-13T20:17:00Z', '2026-03-14T03:02:00Z', 7e9);
    const [, green] = pixels.mean(
      plot.x('2026-03-14T02:25:00Z'),
      plot.x('2026-03-14T02:40:00Z'),
      plot.top + 40,
      plot.top + 60,
    );
    const [, outside] = pixels.mean(
      plot.x('2026-03-13T22:00:00Z'),
      plot.x('2026-03-14T01:00:00Z'),
      plot.top + 40,
      plot.top + 60,
    );
    assert.ok(green > outside + 25, `the window is shaded (${green} vs ${outside})`);

    const update = await eventually('the card pointing at the graph', () =>
      world.slack.served('chat.update').find((c) => /belay_graph/.test(JSON.stringify(c.body.blocks))),
    );
    assert.match(JSON.stringify(update.body.blocks), new RegExp(`files/UBELAY0001/${file.id}/`));
    assert.equal(file.threadTs, update.body.ts, "the graph sits in the card's own thread");
  });
});

describe('end to end: no Prometheus, no graph', () => {
  let world: World;
  before(async () => {
    world = await startWorld(WINDOW, RULE, NIGHT);
    world.kube.seed(
      { kind: 'Namespace', metadata: { name: 'databases' } },
      statefulSet('databases', 'postgres'),
    );
  });
  after(() => world?.close());

  it('the card goes out without a graph and the thread says why', async () => {
    await alertAt(world);
    await eventually('the reason', () => /No graph for this incident/.test(everythingSaid(world)));
    assert.match(everythingSaid(world), /no `prometheus` section/);
    assert.match(everythingSaid(world), /postgres-nightly-backup/, 'the card still went out');
    assert.equal(world.slack.files.length, 0);
    assert.equal(world.slack.served('files.getUploadURLExternal').length, 0);
  });
});
