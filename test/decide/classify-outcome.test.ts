import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyOutcome } from '../../src/decide/index.ts';
import type { AlertObservation } from '../../src/domain/index.ts';

const RAN = new Date('2026-03-10T02:20:00Z');
const SETTINGS = { resolveWithin: 15 * 60_000, returnWithin: 24 * 3_600_000 };
const at = (minutes: number) => new Date(RAN.getTime() + minutes * 60_000).toISOString();
const firing = (minutes: number): AlertObservation => ({ status: 'firing', at: at(minutes) });
const resolved = (minutes: number): AlertObservation => ({ status: 'resolved', at: at(minutes) });
const classify = (observations: AlertObservation[], nowMinutes: number) =>
  classifyOutcome({
    executedAt: RAN,
    observations,
    now: new Date(at(nowMinutes)),
    settings: SETTINGS,
  });

describe('classifyOutcome: did the action fix what its alert was about?', () => {
  const cases: [string, AlertObservation[], number, ReturnType<typeof classify>][] = [
    ['nothing seen yet, 5 min after: too early', [], 5, { status: 'pending', final: false }],
    ['nothing seen, 15 min after: did not fix', [], 15, { status: 'not-fixed', final: true }],
    [
      'resolved 3 min after, watched for 1 h: fixed, not yet final',
      [resolved(3)],
      60,
      { status: 'fixed', final: false, resolvedAfterMs: 180_000 },
    ],
    [
      'resolved 3 min after and quiet for 24 h: fixed for good',
      [resolved(3)],
      3 + 24 * 60,
      { status: 'fixed', final: true, resolvedAfterMs: 180_000 },
    ],
    [
      'resolved, then firing again 6 h later: postponed',
      [resolved(3), firing(3 + 360)],
      400,
      { status: 'postponed', final: true, resolvedAfterMs: 180_000, cameBackAfterMs: 360 * 60_000 },
    ],
    [
      'the firing re-sent before the resolution is the same episode, not a return',
      [firing(-10), firing(2), resolved(4)],
      30,
      { status: 'fixed', final: false, resolvedAfterMs: 240_000 },
    ],
    [
      'a return after the 24 h window is a new incident: still fixed',
      [resolved(3), firing(3 + 25 * 60)],
      3 + 26 * 60,
      { status: 'fixed', final: true, resolvedAfterMs: 180_000 },
    ],
    ['resolved only after 20 min: did not fix', [resolved(20)], 25, { status: 'not-fixed', final: true }],
    [
      'a resolution from before the action does not count',
      [resolved(-30)],
      16,
      { status: 'not-fixed', final: true },
    ],
    [
      'observations in any order',
      [firing(3 + 120), resolved(3)],
      200,
      { status: 'postponed', final: true, resolvedAfterMs: 180_000, cameBackAfterMs: 120 * 60_000 },
    ],
    [
      'an observation timestamp that does not parse is ignored',
      [{ status: 'resolved', at: 'not-a-time' }],
      5,
      { status: 'pending', final: false },
    ],
  ];
  for (const [name, observations, now, expected] of cases) {
    it(name, () => assert.deepEqual(classify(observations, now), expected));
  }

  it('uses the policy setting for how soon it must resolve', () => {
    const result = classifyOutcome({
      executedAt: RAN,
      observations: [resolved(20)],
      now: new Date(at(30)),
      settings: { ...SETTINGS, resolveWithin: 30 * 60_000 },
    });
    assert.equal(result.status, 'fixed');
  });
});
