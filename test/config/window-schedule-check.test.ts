import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Config, checkWindowSchedules, configSchema } from '../../src/config/index.ts';

function configWith(windows: { schedule?: string; timezone?: string; from?: string; to?: string }[]): Config {
  return configSchema.parse({
    version: 1,
    namespaceClasses: [{ name: 'standard' }],
    defaultNamespaceClass: 'standard',
    windows: windows.map((w, i) => ({ name: `w${i}`, ...(w.schedule ? { duration: '1h' } : {}), ...w })),
  });
}

describe('checkWindowSchedules', () => {
  it('accepts what the cron package computes with, in any IANA zone', () => {
    const config = configWith([
      { schedule: '0 2 * * *', timezone: 'UTC' },
      { schedule: '30 1 * * MON-FRI', timezone: 'Europe/Paris' },
      { schedule: '0 0 3 * * SUN', timezone: 'America/New_York' },
      { schedule: '@daily' },
      { from: '2026-12-24T00:00:00Z', to: '2026-12-27T00:00:00Z', timezone: 'Asia/Kolkata' },
    ]);
    assert.deepEqual(checkWindowSchedules(config), []);
  });

  it('names each bad schedule and zone by its path', () => {
    const config = configWith([
      { schedule: '0 25 * * *' },
      { schedule: 'every night' },
      { schedule: '0 2 * * *', timezone: 'Europe/Pariss' },
      { schedule: '0 2 * * *', timezone: 'CEST+2' },
    ]);
    const issues = checkWindowSchedules(config);
    assert.deepEqual(
      issues.map((i) => i.path),
      [
        ['windows', 0, 'schedule'],
        ['windows', 1, 'schedule'],
        ['windows', 2, 'timezone'],
        ['windows', 3, 'timezone'],
      ],
    );
    assert.match(
      issues[0]?.message ?? '',
      /"0 25 \* \* \*" is not a valid cron expression \(.*out of range\)/,
    );
    assert.match(
      issues[2]?.message ?? '',
      /"Europe\/Pariss" is not an IANA time zone; did you mean "Europe\/Paris"\?/,
    );
  });
});
