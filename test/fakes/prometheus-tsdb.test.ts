import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningPrometheus, startPrometheusWithHistory } from './prometheus-tsdb.ts';
import { type StoryHistory, storyHistory } from './story-history.ts';

// The history fixture itself: a real Prometheus must answer with what the generator meant.
describe('story history in a real Prometheus', () => {
  let history: StoryHistory;
  let prometheus: RunningPrometheus;
  before(async () => {
    history = storyHistory({ endMs: Date.UTC(2026, 2, 14, 14, 0) });
    prometheus = await startPrometheusWithHistory(history);
  });
  after(() => prometheus?.stop());

  const query = async (path: string, params: Record<string, string>) => {
    const response = await fetch(`${prometheus.url}${path}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as {
      status: string;
      data: {
        result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[];
      };
    };
    assert.equal(body.status, 'success');
    return body.data.result;
  };

  it('has a PodMemoryHigh firing every night at about 02:07, as the generator says', async () => {
    const { span } = history;
    const result = await query('/api/v1/query_range', {
      query: 'ALERTS{alertname="PodMemoryHigh",alertstate="firing"}',
      start: String(span.startMs / 1000),
      end: String(span.endMs / 1000),
      step: '120', // Prometheus answers at most 11,000 points a series
    });
    assert.equal(result.length, 1);
    const values = result[0]?.values ?? [];
    const nights = new Set(values.map(([t]) => Math.floor(t / 86400)));
    assert.equal(nights.size, 14);
    assert.equal(history.memoryAlerts.length, 14);
    for (const alert of history.memoryAlerts) {
      const minute = (alert.startMs % 86_400_000) / 60_000;
      assert.ok(minute >= 125 && minute <= 130, `fired at minute ${minute} of the day`);
    }
  });

  it('knows which CronJob owns the backup Jobs and when they ran', async () => {
    const at = history.backups.at(-1)?.startMs ?? 0;
    const result = await query('/api/v1/query', {
      query:
        'kube_job_status_active * on (namespace, job_name) group_left (owner_name) kube_job_owner{owner_kind="CronJob"}',
      time: String(at / 1000 + 600),
    });
    assert.deepEqual(
      result.map((r) => [r.metric.owner_name, r.value?.[1]]),
      [['postgres-backup', '1']],
    );
  });

  it('counts restarts of the leaking pod and none of postgres', async () => {
    const result = await query('/api/v1/query', {
      query: 'increase(kube_pod_container_status_restarts_total[14d])',
      time: String(history.span.endMs / 1000),
    });
    const byPod = Object.fromEntries(result.map((r) => [r.metric.pod, Math.round(Number(r.value?.[1]))]));
    assert.equal(byPod['postgres-0'], 0);
    assert.ok((byPod['api-6c8b9d4f7-q8w2e'] ?? 0) >= 3);
  });
});
