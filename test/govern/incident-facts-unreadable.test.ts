import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decide } from '../../src/decide/index.ts';
import type { Incident } from '../../src/domain/index.ts';
import { createIncidentFacts } from '../../src/govern/incident-facts.ts';
import { createAuditLog } from '../../src/govern/store/index.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { alert, restartPostgres, storyPolicy } from '../support/story-policy.ts';

// Found by the playground: with a kubeconfig Belay could not use, the facts came back empty and the 02:17
// card read "no window open" and asked for approval. A cluster Belay cannot read may hold a running backup.
describe('facts that could not be read', () => {
  it('block the 02:17 restart, say which cluster and why, and are audited', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'belay-facts-'));
    try {
      const clock = new ManualClock('2026-03-14T02:17:00Z');
      const audit = await createAuditLog({ dir, clock });
      const factsFor = createIncidentFacts({
        facts: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.1:6443\n    at TCPConnectWrap.afterConnect');
        },
        audit,
      });
      const incident = {
        id: 'inc-1',
        cluster: 'default',
        namespace: 'databases',
        storm: false,
      } as unknown as Incident;
      const memory = alert(
        'PodMemoryHigh',
        { namespace: 'databases', pod: 'postgres-0' },
        '2026-03-14T02:16:00Z',
      );
      const facts = await factsFor(incident, [memory]);
      assert.deepEqual(facts.calendarProblems, [
        { source: 'kubernetes', message: 'connect ECONNREFUSED 10.0.0.1:6443', failClosed: true },
      ]);

      const verdict = decide(
        storyPolicy,
        {
          request: restartPostgres,
          origin: { type: 'rule', rule: 'memory-pressure-restart' },
          alert: memory,
        },
        facts,
        clock.now(),
      );
      assert.equal(verdict.disposition, 'blocked');
      const reason = verdict.reasons.find((r) => r.rule === 'facts:kubernetes');
      assert.match(
        reason?.message ?? '',
        /^Could not read cluster default \(connect ECONNREFUSED 10\.0\.0\.1:6443\), so Belay cannot see running backups.*Check Belay's read access/,
      );
      const [logged] = await audit.read();
      assert.equal(logged?.type, 'error');
      assert.match(logged?.summary ?? '', /Could not gather facts: connect ECONNREFUSED/);
      await audit.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
