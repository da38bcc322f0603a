// Without Prometheus, `belay replay` replays the alerts Belay received, from its audit log: freezes as the
// log records them, the policy file's windows, and no metric history (so metric conditions never hold).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ActionOutcome } from '../../src/domain/index.ts';
import type { ReplayReport } from '../../src/govern/replay/index.ts';
import { createAuditLog, emptyRuleRecords, RULE_RECORDS_FILE_NAME } from '../../src/govern/store/index.ts';
import { tempDir } from '../govern/store/temp-dir.ts';
import { alert } from '../support/story-policy.ts';
import { replay } from './replay-support.ts';

function policy(storeDir: string): string {
  return `
version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
  - name: staging
    namespaces: [staging]
defaultNamespaceClass: staging
rules:
  - name: crashloop-restart
    action: restart-pod
    mode: suggest
    when: { alert: { name: KubePodCrashLooping } }
  - name: naive-memory-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: 60s }
store: { dir: ${JSON.stringify(storeDir)} }
kubernetes:
  clusters: [{ name: default, inCluster: true }]
`;
}

/** rule-records.json as Belay writes it, holding one action's outcome. */
async function writeRuleRecords(storeDir: string, outcome: ActionOutcome): Promise<void> {
  const records = { ...emptyRuleRecords(), outcomes: { [outcome.proposalId]: outcome } };
  await writeFile(join(storeDir, RULE_RECORDS_FILE_NAME), JSON.stringify(records));
}

describe('belay replay from the audit log', () => {
  it('replays each alert Belay received once, with the freeze recorded then, and says what it cannot judge', async (t) => {
    const store = await tempDir(t);
    const audit = await createAuditLog({ dir: join(store, 'audit'), clock: { now: () => new Date() } });
    const received = async (a: ReturnType<typeof alert>, at: string) =>
      audit.append({
        type: 'alert.received',
        actor: { type: 'system', id: 'alertmanager' },
        summary: a.name,
        at,
        data: { alert: a },
      });
    const crash = alert(
      'KubePodCrashLooping',
      { namespace: 'staging', pod: 'api-1' },
      '2026-03-10T09:00:00.000Z',
    );
    await received(crash, '2026-03-10T09:00:05.000Z');
    // A repeat of the same firing (Alertmanager's repeat_interval) is not a second episode.
    await received({ ...crash, receivedAt: '2026-03-10T13:00:05.000Z' }, '2026-03-10T13:00:05.000Z');
    await audit.append({
      type: 'freeze.changed',
      actor: { type: 'user', id: 'U0SEC0001' },
      summary: 'freeze on',
      at: '2026-03-11T08:00:00.000Z',
      data: {
        state: {
          active: true,
          reason: 'suspected breach',
          by: 'U0SEC0001',
          since: '2026-03-11T08:00:00.000Z',
        },
      },
    });
    await received(
      alert('KubePodCrashLooping', { namespace: 'staging', pod: 'api-2' }, '2026-03-11T09:00:00.000Z'),
      '2026-03-11T09:00:04.000Z',
    );
    await received(
      alert('PodMemoryHigh', { namespace: 'databases', pod: 'postgres-0' }, '2026-03-12T02:07:00.000Z'),
      '2026-03-12T02:07:03.000Z',
    );
    // Outside the period.
    await received(
      alert('KubePodCrashLooping', { namespace: 'staging', pod: 'api-9' }, '2026-03-01T09:00:00.000Z'),
      '2026-03-01T09:00:01.000Z',
    );
    await audit.close();
    await writeRuleRecords(store, {
      proposalId: 'p-1',
      incidentId: 'i-1',
      rule: 'crashloop-restart',
      actionWords: 'the restart',
      alert: { name: 'KubePodCrashLooping', fingerprint: crash.fingerprint, labels: crash.labels },
      executedAt: '2026-03-10T09:02:00.000Z',
      observations: [{ status: 'resolved', at: '2026-03-10T09:06:00.000Z' }],
      status: 'fixed',
      final: true,
      told: ['fixed'],
      reverted: false,
    });

    const run = await replay(policy(store), ['--since', '7d', '--until', '2026-03-14T14:00:00Z', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /no prometheus section in belay\.yaml; replaying the alerts in the audit log at .*audit/,
    );
    const report = JSON.parse(run.stdout) as ReplayReport;
    assert.equal(report.source, 'audit');
    assert.deepEqual(
      report.episodes.map((e) => [e.startedAt, e.target, e.decisions.map((d) => `${d.rule}:${d.kind}`)]),
      [
        ['2026-03-10T09:00:00.000Z', 'staging/api-1', ['crashloop-restart:would-act']],
        ['2026-03-11T09:00:00.000Z', 'staging/api-2', ['crashloop-restart:blocked']],
        ['2026-03-12T02:07:00.000Z', 'databases/postgres-0', ['naive-memory-restart:did-not-apply']],
      ],
    );
    // Belay's own restart of api-1 during that episode, from rule-records.json, is shown beside it.
    assert.equal(
      report.episodes[0]?.pastOutcome?.summary,
      'Belay ran the restart at 2026-03-10 09:02 UTC. Fixed: KubePodCrashLooping resolved 4 min after the restart.',
    );
    assert.equal(report.episodes[1]?.pastOutcome, undefined, 'Belay ran nothing on api-2');
    const crashloop = report.summary.rules.find((r) => r.rule === 'crashloop-restart');
    assert.deepEqual(crashloop?.blockedBy, [{ reason: 'freeze', kind: 'freeze', count: 1 }]);
    // A freeze is not a near miss: it was meant to stop everything.
    assert.equal(crashloop?.nearMisses, 0);
    const memory = report.summary.rules.find((r) => r.rule === 'naive-memory-restart');
    assert.deepEqual(memory?.unmet, [
      { condition: 'container_memory_working_set_bytes above 5G for 1m', count: 1 },
    ]);
    assert.ok(
      report.episodes[2]?.gaps.some((g) =>
        g.startsWith('no Prometheus: metric conditions cannot be rebuilt'),
      ),
    );
  });

  it('a damaged rule-records.json leaves out past outcomes, says why, and still replays', async (t) => {
    const store = await tempDir(t);
    const audit = await createAuditLog({ dir: join(store, 'audit'), clock: { now: () => new Date() } });
    const crash = alert(
      'KubePodCrashLooping',
      { namespace: 'staging', pod: 'api-1' },
      '2026-03-10T09:00:00Z',
    );
    await audit.append({
      type: 'alert.received',
      actor: { type: 'system', id: 'alertmanager' },
      summary: crash.name,
      at: '2026-03-10T09:00:05.000Z',
      data: { alert: crash },
    });
    await audit.close();
    await writeFile(join(store, RULE_RECORDS_FILE_NAME), '{"schemaVersion": 1, "modes": ');
    const run = await replay(policy(store), ['--since', '7d', '--until', '2026-03-14T14:00:00Z', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /what Belay's past actions led to is left out: .*rule-records\.json is not JSON/,
    );
    assert.equal((JSON.parse(run.stdout) as ReplayReport).episodes.length, 1);
  });

  it('no Prometheus and no audit log: exit 1, saying where it looked and what to configure', async (t) => {
    const store = await tempDir(t);
    const run = await replay(policy(join(store, 'missing')), ['--since', '7d']);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /belay replay could not replay: Could not read the alert history: could not read the audit log in .*missing\/audit \(.*\); check store\.dir, or configure prometheus/,
    );
  });
});
