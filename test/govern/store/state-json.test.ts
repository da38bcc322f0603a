import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyState } from '../../../src/govern/store/state-file.ts';
import { createStateJson } from '../../../src/govern/store/state-json.ts';
import { sampleIncident, sampleProposal } from './sample-records.ts';

const text = (chunks: readonly Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('state file JSON', () => {
  const shapes: [string, () => object][] = [
    ['the empty state', () => emptyState()],
    [
      'a state with records in every table',
      () => ({
        ...emptyState(),
        proposals: { p1: sampleProposal('p1'), p2: sampleProposal('p2') },
        incidents: { i1: sampleIncident('i1') },
        ledger: [{ at: '2026-01-01T00:00:00.000Z', kind: 'restart-pod', pod: 'a' }],
        freeze: { active: true, by: { type: 'user', id: 'U1' }, reason: 'breach: "x"' },
        approvedBefore: ['restart-pod@Deployment', 'scale@Deployment'],
        deliveries: [{ source: 'pagerduty', id: 'd1', at: '2026-01-01T00:00:00.000Z' }],
        threads: { i1: { alerts: [], turns: [] } },
      }),
    ],
    [
      'undefined values, integer-like keys, unicode and nulls',
      () => ({
        schemaVersion: 1,
        skipped: undefined,
        incidents: { '10': { n: 1 }, b: { n: 2 }, '2': { n: 3 }, gone: undefined },
        list: [{ a: 1 }, undefined, null, 'ünïcødé ✓', 3],
        empty: {},
        mixed: { a: 1, b: { c: 2 } },
      }),
    ],
  ];
  for (const [name, make] of shapes) {
    it(`is exactly JSON.stringify for ${name}`, () => {
      const data = make();
      const json = createStateJson();
      assert.equal(text(json(data)), JSON.stringify(data));
      // And again, from the cache.
      assert.equal(text(json(data)), JSON.stringify(data));
    });
  }

  it('follows records that were replaced, added, removed or moved to another key', () => {
    const json = createStateJson();
    type Table = Record<string, object>;
    const data: { proposals: Table; incidents: Table; ledger: object[] } = {
      ...emptyState(),
      proposals: { p1: sampleProposal('p1') },
    };
    json(data);
    data.proposals.p1 = { ...data.proposals.p1, state: 'approved' };
    data.proposals.p2 = sampleProposal('p2');
    data.incidents.i1 = sampleIncident('i1');
    assert.equal(text(json(data)), JSON.stringify(data));
    delete data.proposals.p1;
    data.ledger = [...data.ledger];
    assert.equal(text(json(data)), JSON.stringify(data));
    // The same object under another id: its cached bytes carry the old key, so they are not reused.
    const moved = data.proposals.p2 as object;
    delete data.proposals.p2;
    data.proposals.p3 = moved;
    assert.equal(text(json(data)), JSON.stringify(data));
  });

  it('serializes a record that did not change only once, however many writes follow', () => {
    const json = createStateJson();
    let reads = 0;
    const record = {
      id: 'i1',
      get title() {
        reads += 1;
        return 'api crash-looping';
      },
    };
    const data = { ...emptyState(), incidents: { i1: record } };
    for (let write = 0; write < 5; write++) {
      data.incidents = { ...data.incidents, [`i${write + 2}`]: { id: `i${write + 2}`, title: 'other' } };
      json(data);
    }
    assert.equal(reads, 1, 'the unchanged record was serialized again');
    assert.equal(text(json(data)), JSON.stringify(data));
    assert.equal(reads, 2, 'JSON.stringify itself reads it once more; the cache did not');
  });
});
