// `/remediate replay` through Belay's composition root: a signed slash command to the running bot, which
// replays a week of real Prometheus history (the story's) and answers privately in Slack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningPrometheus, startPrometheusWithHistory } from '../fakes/prometheus-tsdb.ts';
import { storyHistory } from '../fakes/story-history.ts';
import { eventually, slash, startWorld, type World } from './support.ts';

const END = new Date(Date.UTC(2026, 2, 14, 14, 0));

const NAIVE_RULE = `
  - name: naive-memory-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: 60s }`;

describe('end to end: /remediate replay on the running bot', () => {
  let prometheus: RunningPrometheus;
  let world: World;
  before(async () => {
    prometheus = await startPrometheusWithHistory(storyHistory({ endMs: END.getTime() }));
    world = await startWorld(
      `prometheus: { url: ${JSON.stringify(prometheus.url)}, timeout: 20s }`,
      '',
      END,
      {
        rules: NAIVE_RULE,
      },
    );
  });
  after(async () => {
    await world?.close();
    await prometheus?.stop();
  });

  it('answers the on-call engineer privately: seven near misses inside the nightly pattern of postgres-0', async () => {
    const command = slash(world, 'replay naive-memory-restart 7d', 'U0SRE0001');
    await command.send();
    const call = await eventually('the replay answer', () =>
      world.slack.calls.find((c) => c.method === command.responseMethod),
    );
    const body = call.body as { response_type?: string; text?: string };
    assert.equal(body.response_type, 'ephemeral');
    assert.match(
      body.text ?? '',
      /^Replay of rule naive-memory-restart over the last 7d: 7 near misses, 7 of 7 alerts/,
    );
    const text = JSON.stringify(call.body);
    assert.equal(text.match(/restart pod databases\/postgres-0/g)?.length, 7);
    assert.match(text, /postgres-0's memory rises like this every night/);
    assert.match(text, /while CronJob postgres-backup runs/);
  });
});
