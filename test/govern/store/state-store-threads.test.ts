import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../../src/domain/index.ts';
import { createStateStore, STATE_FILE_NAME } from '../../../src/govern/store/index.ts';
import { THREAD_LIMITS, withAlerts, withTurns } from '../../../src/govern/thread-memory.ts';
import { storeError } from './assert-store-error.ts';
import { manualClock, sampleIncident, T0 } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const alert: Alert = {
  source: 'alertmanager',
  name: 'KubePodCrashLooping',
  status: 'firing',
  labels: { namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k' },
  annotations: { description: 'token=hunter2hunter2hunter2 in the logs' },
  startsAt: T0,
  fingerprint: 'fp1',
  receivedAt: T0,
};
const turn = (i: number, text = `turn ${i}`) => ({ author: `U0${i}`, text, at: T0 });

describe('state store: incident threads', () => {
  it('keeps a thread’s alerts and turns across a restart, and forgets them with the incident', async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir, clock });
    await store.putIncident({ ...sampleIncident('inc'), status: 'resolved', resolvedAt: T0 });
    await store.putThread('inc', withTurns(withAlerts(undefined, [alert]), [turn(1)]));
    const reopened = await createStateStore({ dir, clock });
    assert.equal(reopened.thread('inc')?.alerts[0]?.labels.pod, 'api-7d9f8b6c5-x2x9k');
    assert.deepEqual(reopened.thread('inc')?.turns, [turn(1)]);
    clock.advance(31 * 24 * 3_600_000);
    await reopened.pruneHistory(30 * 24 * 3_600_000);
    assert.equal(reopened.thread('inc'), undefined);
  });

  it('refuses an invalid thread record and writes nothing', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await assert.rejects(
      store.putThread('inc', { alerts: [], turns: [{ author: '', text: 'x', at: 'yesterday' }] }),
      storeError('invalid-record', /Refused the thread of incident inc; nothing was written/),
    );
    assert.equal(store.thread('inc'), undefined);
  });

  it('opens a state file written before threads were kept', async (t) => {
    const dir = await tempDir(t);
    const old = {
      schemaVersion: 1,
      proposals: {},
      ledger: [],
      freeze: { active: false },
      pause: { active: false },
      approvedBefore: [],
      incidents: {},
      deliveries: [],
    };
    await writeFile(join(dir, STATE_FILE_NAME), JSON.stringify(old));
    const store = await createStateStore({ dir, clock: manualClock() });
    assert.equal(store.thread('any'), undefined);
  });
});

describe('thread memory: bounded', () => {
  it('keeps the last turns, each cut to its length, within the byte budget, the newest always', () => {
    let record = withTurns(undefined, []);
    for (let i = 0; i < 30; i += 1) record = withTurns(record, [turn(i)]);
    assert.equal(record.turns.length, THREAD_LIMITS.turns);
    assert.equal(record.turns.at(-1)?.text, 'turn 29');
    const long = withTurns(record, [turn(99, 'y'.repeat(10_000))]);
    assert.equal(long.turns.at(-1)?.text.length, THREAD_LIMITS.turnChars);
    const big = Array.from({ length: 12 }, (_, i) => turn(i, 'z'.repeat(THREAD_LIMITS.turnChars)));
    const capped = withTurns(undefined, big);
    assert.ok(Buffer.byteLength(JSON.stringify(capped.turns)) <= THREAD_LIMITS.bytes);
    assert.equal(capped.turns.at(-1)?.author, 'U011');
  });

  it('keeps the last alerts, redacted, and the turns already there', () => {
    const record = withAlerts(
      withTurns(undefined, [turn(1)]),
      Array.from({ length: 12 }, () => alert),
    );
    assert.equal(record.alerts.length, THREAD_LIMITS.alerts);
    assert.doesNotMatch(JSON.stringify(record.alerts), /hunter2hunter2hunter2/);
    assert.equal(record.turns.length, 1);
  });
});
