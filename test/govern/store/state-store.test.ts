import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LedgerEntry } from '../../../src/domain/index.ts';
import { createStateStore, STATE_FILE_NAME, type StoreError } from '../../../src/govern/store/index.ts';
import { storeError } from './assert-store-error.ts';
import { manualClock, sampleIncident, sampleProposal, T0 } from './sample-records.ts';
import { tempDir } from './temp-dir.ts';

const alice = { type: 'user', id: 'U0ALICE' } as const;
const HOUR = 3_600_000;

function restart(pod: string, at = T0, proposalId = `p-${pod}`): LedgerEntry {
  return { at, kind: 'restart-pod', cluster: 'default', namespace: 'staging', pod, proposalId };
}

describe('state store: opening', () => {
  it('starts empty and writes a versioned file at once', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    assert.deepEqual(store.listProposals(), []);
    assert.deepEqual(store.freeze(), { active: false });
    const file = JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8'));
    assert.equal(file.schemaVersion, 1);
  });

  const damaged: [string, string, RegExp][] = [
    ['is not JSON', '{"schemaVersion":1,"propos', /cannot be read/],
    ['is empty', '', /cannot be read/],
    ['has another schema version', '{"schemaVersion":2}', /schema version 2; this Belay reads version 1/],
    [
      'holds an invalid proposal',
      JSON.stringify({
        schemaVersion: 1,
        proposals: { p: { ...sampleProposal('p'), state: 'sort-of-approved' } },
        ledger: [],
        freeze: { active: false },
        pause: { active: false },
        approvedBefore: [],
        incidents: {},
        deliveries: [],
      }),
      /is not valid:[\s\S]*proposals\.p\.state/,
    ],
    ['misses a section', '{"schemaVersion":1,"proposals":{}}', /is not valid/],
  ];
  for (const [what, content, pattern] of damaged) {
    it(`refuses to start when the state file ${what}, naming the file, and leaves it untouched`, async (t) => {
      const dir = await tempDir(t);
      const file = join(dir, STATE_FILE_NAME);
      await writeFile(file, content);
      await assert.rejects(createStateStore({ dir, clock: manualClock() }), (error) => {
        storeError('corrupt-file', pattern)(error);
        assert.ok((error as StoreError).message.includes(file));
        assert.match((error as StoreError).message, /will not start on a damaged state file/);
        return true;
      });
      assert.equal(await readFile(file, 'utf8'), content);
    });
  }

  it('keeps everything across a restart', async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir, clock });
    await store.createProposal(sampleProposal('p1'));
    await store.transition('p1', { from: 'proposed', to: 'approved', by: alice });
    await store.reserve(restart('web-1'), () => true);
    await store.setFreeze({ active: true, reason: 'security incident SEC-12', by: 'U0ALICE', since: T0 });
    await store.setPause({ active: true, reason: 'kill switch' });
    await store.recordApproved('restart-pod@StatefulSet');
    await store.putIncident(sampleIncident());
    await store.markDelivery('alertmanager', 'd-1');

    const again = await createStateStore({ dir, clock });
    assert.deepEqual(again.getProposal('p1'), store.getProposal('p1'));
    assert.equal(again.getProposal('p1')?.state, 'approved');
    assert.deepEqual(again.ledger(), [restart('web-1')]);
    assert.deepEqual(again.freeze(), store.freeze());
    assert.equal(again.pause().active, true);
    assert.deepEqual(again.approvedBefore(), ['restart-pod@StatefulSet']);
    assert.deepEqual(again.getIncident('inc-1'), store.getIncident('inc-1'));
    assert.equal(await again.markDelivery('alertmanager', 'd-1'), false);
  });

  it('stops accepting changes after a failed write, until restarted', async (t) => {
    const dir = await tempDir(t);
    const store = await createStateStore({ dir, clock: manualClock() });
    await mkdir(join(dir, `.${STATE_FILE_NAME}.tmp`));
    await assert.rejects(
      store.setFreeze({ active: true }),
      storeError('write-failed', /refuses further changes/),
    );
    await assert.rejects(store.recordApproved('k'), storeError('write-failed', /state\.json/));
  });
});

describe('state store: rate ledger', () => {
  it('never lets two concurrent reserves take the last slot', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    const onePerPod = (pod: string) => (ledger: readonly LedgerEntry[]) => !ledger.some((e) => e.pod === pod);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.reserve(restart('web-1', T0, `p${i}`), onePerPod('web-1'))),
    );
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(store.ledger().length, 1);
  });

  it('refuses an invalid entry before asking admit', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    let asked = false;
    const bad = { ...restart('web-1'), kind: 'delete-pvc' } as unknown as LedgerEntry;
    await assert.rejects(
      store.reserve(bad, () => {
        asked = true;
        return true;
      }),
      storeError('invalid-record', /rate-ledger entry/),
    );
    assert.equal(asked, false);
    assert.deepEqual(store.ledger(), []);
  });

  it('releases a reservation that was not used, and prunes what left the horizon', async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir, clock });
    await store.reserve(restart('old', '2025-03-14T00:00:00.000Z'), () => true);
    await store.reserve(restart('web-1'), () => true);
    await store.reserve(restart('web-2'), () => true);
    assert.equal(await store.release('p-web-2'), 1);
    assert.equal(await store.release('p-unknown'), 0);
    assert.equal(await store.pruneLedger(HOUR), 1);
    assert.deepEqual(store.ledger(), [restart('web-1')]);
    const reopened = await createStateStore({ dir, clock });
    assert.deepEqual(reopened.ledger(), [restart('web-1')]);
  });
});

describe('state store: switches, novelty, incidents', () => {
  it('sets freeze and pause, refusing an invalid state', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    await store.setFreeze({ active: true, reason: 'SEC-12', until: '2025-03-15T00:00:00Z' });
    await assert.rejects(
      store.setPause({ active: 'yes' } as never),
      storeError('invalid-record', /pause state/),
    );
    assert.deepEqual(store.freeze(), { active: true, reason: 'SEC-12', until: '2025-03-15T00:00:00Z' });
    assert.deepEqual(store.pause(), { active: false });
  });

  it('remembers approved novelty keys once', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    await store.recordApproved('restart-pod@Deployment');
    await store.recordApproved('restart-pod@Deployment');
    await assert.rejects(store.recordApproved(''), storeError('invalid-record', /empty novelty key/));
    assert.deepEqual(store.approvedBefore(), ['restart-pod@Deployment']);
  });

  it('stores incidents and finds the open one for a key', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    await store.putIncident({ ...sampleIncident('old'), status: 'resolved', resolvedAt: T0 });
    await store.putIncident({ ...sampleIncident('new'), openedAt: '2025-03-14T03:00:00.000Z' });
    await assert.rejects(
      store.putIncident({ ...sampleIncident('bad'), namespace: 'Not A Namespace' }),
      storeError('invalid-record', /an incident/),
    );
    assert.equal(store.findOpenIncident('default/databases/StatefulSet/postgres')?.id, 'new');
    assert.equal(store.findOpenIncident('nothing'), undefined);
    assert.deepEqual(
      store.listIncidents().map((i) => i.id),
      ['old', 'new'],
    );
    assert.deepEqual(
      store.listIncidents({ status: 'resolved' }).map((i) => i.id),
      ['old'],
    );
    assert.equal(store.getIncident('bad'), undefined);
  });
});

describe('state store: retention', () => {
  it('forgets archived proposals and resolved incidents past the horizon from memory, keeping anything still live', async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir, clock });
    await store.putIncident({ ...sampleIncident('done'), status: 'resolved', resolvedAt: T0 });
    await store.putIncident({ ...sampleIncident('live', 'other-key'), status: 'resolved', resolvedAt: T0 });
    await store.createProposal(sampleProposal('finished', 'done'));
    await store.transition('finished', { from: 'proposed', to: 'rejected', by: alice });
    await store.createProposal(sampleProposal('pending', 'live'));
    clock.advance(31 * 24 * HOUR);
    assert.deepEqual(await store.pruneHistory(30 * 24 * HOUR), { proposals: 1, incidents: 1 });
    assert.equal(store.getProposal('finished'), undefined);
    assert.equal(store.getIncident('done'), undefined);
    assert.ok(store.getProposal('pending'), 'a proposal still waiting is never forgotten');
    assert.ok(store.getIncident('live'), 'nor the incident it belongs to');
    const reopened = await createStateStore({ dir, clock });
    assert.equal(reopened.getProposal('finished')?.state, 'rejected', 'the archive on disk keeps history');
    assert.deepEqual(await reopened.pruneHistory(30 * 24 * HOUR), { proposals: 1, incidents: 1 });
    assert.deepEqual(await reopened.pruneHistory(30 * 24 * HOUR), { proposals: 0, incidents: 0 });
  });
});

describe('state store: delivery dedupe', () => {
  it('accepts a delivery once per source', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    assert.equal(await store.markDelivery('alertmanager', 'a'), true);
    assert.equal(await store.markDelivery('alertmanager', 'a'), false);
    assert.equal(await store.markDelivery('pagerduty', 'a'), true);
  });

  it('forgets the oldest deliveries beyond the count, and any older than the retention time', async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir, clock, deliveryRetention: { count: 3, ms: HOUR } });
    for (const id of ['a', 'b', 'c', 'd']) assert.equal(await store.markDelivery('s', id), true);
    assert.equal(await store.markDelivery('s', 'a'), true, 'a fell out when d arrived');
    assert.equal(await store.markDelivery('s', 'c'), false);
    clock.advance(HOUR + 1);
    assert.equal(await store.markDelivery('s', 'c'), true, 'c is older than an hour');
    const file = JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8'));
    assert.deepEqual(
      file.deliveries.map((d: { id: string }) => d.id),
      ['c'],
    );
  });
});

describe('state store: an incident’s message ref', () => {
  it('survives a put of a copy read before it was stored, graph included', async (t) => {
    const store = await createStateStore({ dir: await tempDir(t), clock: manualClock() });
    const read = await store.putIncident(sampleIncident());
    const ref = { channel: 'C0INCIDENT', ts: '1700000000.000100', threadTs: '1700000000.000100' };
    await store.putIncident({ ...read, slackMessage: ref });
    // The correlator writes back what it read before the notifier stored the ref.
    await store.putIncident({ ...read, updatedAt: '2026-03-14T02:20:00.000Z' });
    assert.deepEqual(store.getIncident('inc-1')?.slackMessage, ref);
    assert.equal(store.getIncident('inc-1')?.updatedAt, '2026-03-14T02:20:00.000Z', 'its own change is kept');

    const graph = { fileId: 'F0GRAPH01', title: 'databases/postgres-0 · memory' };
    await store.putIncident({ ...read, slackMessage: { ...ref, graph } });
    await store.putIncident({ ...read, slackMessage: ref });
    assert.deepEqual(store.getIncident('inc-1')?.slackMessage?.graph, graph, 'the graph pointer is kept too');
    // Another message is another message: its ref replaces the old one whole.
    const moved = { channel: 'C0OTHER', ts: '1700000001.000200', threadTs: '1700000001.000200' };
    await store.putIncident({ ...read, slackMessage: moved });
    assert.deepEqual(store.getIncident('inc-1')?.slackMessage, moved);
  });
});
