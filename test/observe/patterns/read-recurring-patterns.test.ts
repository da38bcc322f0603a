import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readRecurringPatterns } from '../../../src/observe/patterns/index.ts';
import { createPrometheusClient } from '../../../src/observe/prometheus/index.ts';
import { type RunningPrometheus, startPrometheusWithHistory } from '../../fakes/prometheus-tsdb.ts';
import { type StoryHistory, storyHistory } from '../../fakes/story-history.ts';

// The reader against a real Prometheus serving the story's two weeks.
describe('readRecurringPatterns on a real Prometheus', () => {
  let history: StoryHistory;
  let prometheus: RunningPrometheus;
  before(async () => {
    history = storyHistory({ endMs: Date.UTC(2026, 2, 14, 14, 0) });
    prometheus = await startPrometheusWithHistory(history);
  });
  after(() => prometheus?.stop());
  const client = () => createPrometheusClient({ url: prometheus.url, timeoutMs: 20_000 });

  it('finds the nightly backup of postgres-0 and its CronJob, and nothing else', async () => {
    const { startMs, endMs } = history.span;
    const reading = await readRecurringPatterns(
      client(),
      { cluster: 'homelab' },
      { sinceMs: startMs, untilMs: endMs },
    );
    assert.ok(reading.ok, reading.ok ? '' : reading.error);
    assert.equal(reading.patterns.length, 1, JSON.stringify(reading.patterns));
    const [backup] = reading.patterns;
    assert.deepEqual(backup?.target, {
      cluster: 'homelab',
      namespace: 'databases',
      pod: 'postgres-0',
      workload: { kind: 'StatefulSet', name: 'postgres' },
    });
    assert.equal(backup?.signal, 'memory');
    assert.equal(backup?.startMinute, 120);
    assert.ok((backup?.endMinute ?? 0) >= 167, `ends at ${backup?.endMinute}`);
    assert.deepEqual(backup?.coincidingCronJob, { namespace: 'databases', name: 'postgres-backup' });
    // memory, CPU and restarts of every pod (web, api, postgres, four workers; CPU only where scraped)
    assert.ok(reading.seriesExamined >= 8, `examined ${reading.seriesExamined}`);
  });

  it('keeps to the namespaces in scope', async () => {
    const { startMs, endMs } = history.span;
    const reading = await readRecurringPatterns(
      client(),
      { namespaces: ['shop', 'batch'] },
      { sinceMs: startMs, untilMs: endMs },
    );
    assert.ok(reading.ok);
    assert.deepEqual(reading.patterns, []);
  });

  it('says what went wrong when Prometheus cannot be read, and finds nothing', async () => {
    const dead = createPrometheusClient({ url: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    const reading = await readRecurringPatterns(dead, {}, { sinceMs: 0, untilMs: 86_400_000 });
    assert.equal(reading.ok, false);
    assert.match(reading.ok ? '' : reading.error, /could not reach Prometheus at http:\/\/127\.0\.0\.1:9/);
  });

  it('refuses a period that ends before it starts', async () => {
    const reading = await readRecurringPatterns(client(), {}, { sinceMs: 10, untilMs: 5 });
    assert.deepEqual(reading, { ok: false, error: 'the period to search ends before it starts' });
  });
});
