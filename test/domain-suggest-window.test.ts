import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RecurringPattern, suggestWindow, windowDefinitionSchema } from '../src/domain/index.ts';

const BASE: RecurringPattern = {
  target: {
    namespace: 'shop',
    pod: 'search-7f9c-abcde',
    workload: { kind: 'ReplicaSet', name: 'search-7f9c' },
  },
  signal: 'cpu',
  period: 'weekly',
  weekday: 0,
  startMinute: 175,
  endMinute: 240,
  timeZone: 'Europe/Berlin',
  daysSeen: 4,
  daysExamined: 4,
  baseline: 0.2,
  peak: 1.9,
};

describe('suggestWindow', () => {
  it('writes a weekly pattern as a cron on its weekday, in its zone, for as long as it lasts', () => {
    const window = suggestWindow(BASE);
    assert.equal(window.schedule, '55 2 * * 0');
    assert.equal(window.duration, '1h5m');
    assert.equal(window.timezone, 'Europe/Berlin');
    assert.equal(window.kind, 'maintenance');
    // A ReplicaSet's name changes with each rollout: the pod is what the pattern was seen on.
    assert.deepEqual(window.selector, { namespaces: ['shop'], names: ['search-7f9c-abcde'] });
    assert.equal(window.name, 'search-7f9c-abcde-cpu');
    assert.ok(windowDefinitionSchema.safeParse(window).success);
  });

  it('names a backup after its CronJob and selects the StatefulSet, not the pod', () => {
    const window = suggestWindow({
      ...BASE,
      target: {
        cluster: 'homelab',
        namespace: 'databases',
        pod: 'postgres-0',
        workload: { kind: 'StatefulSet', name: 'postgres' },
      },
      period: 'daily',
      weekday: undefined,
      startMinute: 120,
      endMinute: 170,
      coincidingCronJob: { namespace: 'databases', name: 'postgres-backup' },
    } as RecurringPattern);
    assert.equal(window.name, 'postgres-backup');
    assert.equal(window.kind, 'backup');
    assert.equal(window.schedule, '0 2 * * *');
    assert.equal(window.duration, '50m');
    assert.deepEqual(window.selector, {
      clusters: ['homelab'],
      namespaces: ['databases'],
      names: ['postgres'],
    });
  });

  it('makes a valid policy name of anything', () => {
    const window = suggestWindow({ ...BASE, target: { namespace: 'x', pod: `${'Über_Pod.'.repeat(10)}` } });
    assert.match(window.name, /^[a-z0-9][a-z0-9-]{0,62}$/);
    assert.ok(windowDefinitionSchema.safeParse(window).success);
  });
});
