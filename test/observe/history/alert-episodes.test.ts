import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertEpisodes, historyStepMs } from '../../../src/observe/history/index.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 8, 2, 0) / 1000;

describe('alert episodes from ALERTS', () => {
  it('splits a series at gaps, drops __name__ and alertstate, and leaves an episode still firing open', () => {
    const series = (labels: Record<string, string>, minutes: number[]) => ({
      metric: { __name__: 'ALERTS', alertstate: 'firing', ...labels },
      values: minutes.map((m): [number, string] => [T0 + m * 60, '1']),
    });
    const episodes = alertEpisodes(
      {
        resultType: 'matrix',
        result: [
          series({ alertname: 'PodMemoryHigh', pod: 'postgres-0' }, [7, 8, 9, 10, 30, 31]),
          series({ alertname: 'KubePodCrashLooping', pod: 'api-1' }, [5, 6]),
        ],
      },
      MIN,
      (T0 + 31 * 60) * 1000,
    );
    assert.deepEqual(
      episodes.map((e) => [
        e.labels.alertname,
        (e.startMs / 1000 - T0) / 60,
        e.endMs && (e.endMs / 1000 - T0) / 60,
      ]),
      [
        ['KubePodCrashLooping', 5, 7],
        ['PodMemoryHigh', 7, 11],
        ['PodMemoryHigh', 30, undefined],
      ],
    );
    assert.deepEqual(episodes[1]?.labels, { alertname: 'PodMemoryHigh', pod: 'postgres-0' });
  });

  it('reads a week at one-minute steps, and a longer period coarser so no series passes the 11,000 points Prometheus allows', () => {
    assert.equal(historyStepMs(0, 7 * 86_400_000), MIN);
    assert.equal(historyStepMs(0, 30 * 86_400_000), 236_000);
  });
});
