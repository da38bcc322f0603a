// The playground's clock: real time's pace from where the panel last moved it, and only forward.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemoClock, nextTimeOfDay } from '../../src/demo/demo-clock.ts';

describe('the demo clock', () => {
  let real = Date.parse('2030-01-01T00:00:00Z');
  const clock = createDemoClock(new Date('2026-03-14T01:00:00Z'), () => real);

  it('runs at real time’s pace from where it starts', () => {
    real += 90_000;
    assert.equal(clock.now().toISOString(), '2026-03-14T01:01:30.000Z');
  });

  it('moves forward to the next time of day asked for: today while it is ahead, else tomorrow', () => {
    clock.moveTo(nextTimeOfDay(clock, '02:17'));
    assert.equal(clock.now().toISOString(), '2026-03-14T02:17:00.000Z');
    clock.moveTo(nextTimeOfDay(clock, '14:00'));
    assert.equal(clock.now().toISOString(), '2026-03-14T14:00:00.000Z');
    clock.moveTo(nextTimeOfDay(clock, '02:17'));
    assert.equal(clock.now().toISOString(), '2026-03-15T02:17:00.000Z');
    real += 1_000;
    assert.equal(clock.now().toISOString(), '2026-03-15T02:17:01.000Z');
  });

  it('refuses to go back, or to a time that is not one, and stays where it was', () => {
    const before = clock.now().toISOString();
    assert.throws(
      () => clock.moveTo(new Date('2026-03-14T03:00:00Z')),
      /only moves forward .*restart the demo to start over/,
    );
    assert.throws(() => clock.moveTo(new Date('tomorrow')), /not a date and time; nothing changed/);
    assert.throws(
      () => nextTimeOfDay(clock, '2:17'),
      /"2:17" is not a time of day: write it as HH:MM, 24-hour, UTC/,
    );
    assert.throws(() => nextTimeOfDay(clock, '24:00'), /not a time of day/);
    assert.equal(clock.now().toISOString(), before);
  });
});
