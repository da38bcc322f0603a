import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowLines } from '../../src/slack/blocks/windows-list.ts';

describe('windowLines', () => {
  const base = {
    kind: 'backup',
    start: '2026-03-14T02:00:00.000Z',
    end: '2026-03-14T03:25:00.000Z',
    blocks: 'all',
    source: { type: 'cronjob', ref: 'databases/postgres-backup' },
  } as const;

  it('a scheduled window shows its end', () => {
    const [line] = windowLines([{ ...base, name: 'backup:databases/postgres-backup' }]);
    assert.match(line ?? '', /02:00.* – .*03:25/);
  });

  it('a running backup Job shows that it is still running, not a guessed end', () => {
    const [line] = windowLines([
      {
        ...base,
        name: 'backup-job:databases/postgres-backup-29557560',
        job: { name: 'postgres-backup-29557560', startedAt: base.start, state: 'running' },
      },
    ]);
    assert.match(line ?? '', / – still running \(Job postgres-backup-29557560\), blocks every action/);
    assert.doesNotMatch(line ?? '', /03:25/);
  });
});
