// Per-client sliding windows: a client over its limit is refused with when to try again, counts nothing
// while refused, and gets its budget back call by call as the window slides; clients never share a budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCallLimits, DEFAULT_MCP_LIMITS } from '../../src/mcp/index.ts';
import { fakeClock } from '../fakes/fake-clock.ts';

describe('MCP call limits', () => {
  it('defaults to 60 calls a minute and 5 proposals an hour', () => {
    assert.deepEqual(DEFAULT_MCP_LIMITS, { callsPerMinute: 60, proposalsPerHour: 5 });
  });

  it('slides: the window frees one call at a time, as each old call ages out', () => {
    const clock = fakeClock('2026-03-14T02:00:00Z');
    const limits = createCallLimits({ callsPerMinute: 3, proposalsPerHour: 1 }, clock);
    assert.equal(limits.admitCall('a'), undefined);
    clock.advance(20_000);
    assert.equal(limits.admitCall('a'), undefined);
    assert.equal(limits.admitCall('a'), undefined);
    assert.equal(
      limits.admitCall('a'),
      'Too many calls: a may make 3 tool calls a minute; nothing was done. Try again in 40s.',
    );
    assert.equal(limits.admitCall('b'), undefined, 'another client has its own budget');
    clock.advance(40_001);
    assert.equal(limits.admitCall('a'), undefined, 'the first call aged out');
    assert.match(limits.admitCall('a') ?? '', /^Too many calls/, 'the others are still in the window');
  });

  it('refused calls do not count against the client', () => {
    const clock = fakeClock('2026-03-14T02:00:00Z');
    const limits = createCallLimits({ callsPerMinute: 1, proposalsPerHour: 1 }, clock);
    assert.equal(limits.admitCall('a'), undefined);
    for (let i = 0; i < 10; i++) assert.ok(limits.admitCall('a'));
    clock.advance(60_001);
    assert.equal(limits.admitCall('a'), undefined);
  });

  it('proposals have their own hourly window, and say when to ask again', () => {
    const clock = fakeClock('2026-03-14T02:00:00Z');
    const limits = createCallLimits({ callsPerMinute: 60, proposalsPerHour: 2 }, clock);
    assert.equal(limits.admitProposal('a'), undefined);
    assert.equal(limits.admitProposal('a'), undefined);
    assert.equal(
      limits.admitProposal('a'),
      'Too many proposals: a may propose 2 actions an hour; nothing was proposed. Ask a human in the incident channel, or try again in 60 min.',
    );
    clock.advance(3_600_001);
    assert.equal(limits.admitProposal('a'), undefined);
  });
});
