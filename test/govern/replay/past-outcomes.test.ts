import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionOutcome, Alert } from '../../../src/domain/index.ts';
import { pastOutcomesFrom, type ReplayEpisode } from '../../../src/govern/replay/index.ts';

// Replay shows, beside what the policy would do now, what Belay's own action on that episode really led to.
const settings = { resolveWithin: 15 * 60_000, returnWithin: 24 * 3_600_000 };
const labels = { alertname: 'KubePodCrashLooping', namespace: 'staging', pod: 'api-7c9f-x2k4p' };

const alert = (extra: Record<string, string> = {}): Alert => ({
  source: 'alertmanager',
  fingerprint: 'from-prometheus',
  status: 'firing',
  name: 'KubePodCrashLooping',
  labels: { ...labels, ...extra },
  annotations: {},
  startsAt: '2026-03-10T10:00:00Z',
  receivedAt: '2026-03-10T10:00:00Z',
});

const episode = (extra: Record<string, string> = {}): ReplayEpisode => ({
  alert: alert(extra),
  startMs: Date.parse('2026-03-10T10:00:00Z'),
  endMs: Date.parse('2026-03-10T10:20:00Z'),
});

const restart: ActionOutcome = {
  proposalId: 'p-1',
  incidentId: 'i-1',
  rule: 'crashloop-restart',
  actionWords: 'the restart',
  alert: { name: 'KubePodCrashLooping', fingerprint: 'fp-am', labels },
  executedAt: '2026-03-10T10:05:00Z',
  observations: [{ status: 'resolved', at: '2026-03-10T10:08:00Z' }],
  status: 'fixed',
  final: true,
  told: ['fixed'],
  reverted: false,
};

const now = () => new Date('2026-03-12T00:00:00Z');

describe('pastOutcomesFrom', () => {
  it('finds the action Belay ran during the episode and says what it led to, in the thread’s words', () => {
    const past = pastOutcomesFrom(() => [restart], settings, now)(episode());
    assert.equal(
      past?.summary,
      'Belay ran the restart at 2026-03-10 10:05 UTC. Fixed: KubePodCrashLooping resolved 3 min after the restart.',
    );
  });

  it('says a reverted action was reverted', () => {
    const past = pastOutcomesFrom(() => [{ ...restart, reverted: true }], settings, now)(episode());
    assert.match(past?.summary ?? '', /It was reverted\.$/);
  });

  it('ignores actions on another pod, another alert, or outside the episode', () => {
    const outcomes = () => [
      restart,
      { ...restart, executedAt: '2026-03-10T11:00:00Z' },
      { ...restart, alert: { ...restart.alert, name: 'PodMemoryHigh' } },
    ];
    assert.equal(pastOutcomesFrom(outcomes, settings, now)(episode({ pod: 'api-7c9f-other' })), undefined);
    assert.equal(
      pastOutcomesFrom(() => [{ ...restart, executedAt: '2026-03-10T11:00:00Z' }], settings, now)(episode()),
      undefined,
    );
  });

  it('says when the outcome is not known yet', () => {
    const pending = { ...restart, observations: [], status: 'pending' as const, final: false, told: [] };
    const past = pastOutcomesFrom(
      () => [pending],
      settings,
      () => new Date('2026-03-10T10:10:00Z'),
    )(episode());
    assert.match(past?.summary ?? '', /its outcome is not known yet\./);
  });
});
