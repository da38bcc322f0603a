import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { incidentSchema } from '../../src/domain/index.ts';
import { createIncidentPresenter, ORIENTATIONS_KEPT } from '../../src/govern/incident-presenter.ts';
import { createRecentMap } from '../../src/govern/recent-map.ts';
import type { IncidentView } from '../../src/govern/service.ts';
import { type AuditLog, createAuditLog, createStateStore } from '../../src/govern/store/index.ts';
import { manualClock, sampleIncident } from './store/sample-records.ts';
import { tempDir } from './store/temp-dir.ts';

describe('incident presenter memory', () => {
  it("keeps only the latest incidents' findings in memory and reads older ones back from the audit", async (t) => {
    const dir = await tempDir(t);
    const clock = manualClock();
    const store = await createStateStore({ dir: join(dir, 'store'), clock });
    const real = await createAuditLog({ dir: join(dir, 'audit'), clock });
    t.after(() => real.close());
    let reads = 0;
    const audit: AuditLog = {
      ...real,
      read: (query) => {
        reads += 1;
        return real.read(query);
      },
    };
    const views: IncidentView[] = [];
    const presenter = createIncidentPresenter({
      store,
      audit,
      notifier: {
        incidentUpdated: async (view) => void views.push(view),
        threadLine: async () => undefined,
        announce: async () => undefined,
      },
    });
    const finding = (n: number) => ({ summary: `finding ${n}`, evidence: [], untrustedQuotes: [] });
    for (let n = 0; n <= ORIENTATIONS_KEPT; n++) {
      await presenter.show(incidentSchema.parse(sampleIncident(`inc-${n}`)), finding(n));
    }
    assert.equal(views.length, ORIENTATIONS_KEPT + 1);

    assert.equal(
      (await presenter.orientationOf(`inc-${ORIENTATIONS_KEPT}`)).summary,
      `finding ${ORIENTATIONS_KEPT}`,
    );
    assert.equal(reads, 0, 'the newest incident was served from memory');
    // The oldest was let go: it comes from the audit trail (empty here), as after a restart.
    assert.equal((await presenter.orientationOf('inc-0')).summary, '');
    assert.equal(reads, 1, 'the oldest incident was still held in memory');
  });
});

describe('recent map', () => {
  it('refuses a capacity below one', () => {
    assert.throws(() => createRecentMap(0), /capacity of at least 1, not 0/);
    assert.throws(() => createRecentMap(1.5), /capacity of at least 1, not 1.5/);
  });

  it('drops the key least recently set or read once it is full', () => {
    const map = createRecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    assert.equal(map.get('a'), 1); // a is now newer than b
    map.set('c', 3);
    assert.equal(map.get('b'), undefined);
    assert.equal(map.get('a'), 1);
    assert.equal(map.get('c'), 3);
    map.set('a', 4); // replacing does not grow it
    assert.equal(map.size, 2);
    assert.equal(map.get('a'), 4);
  });
});
