// The night Belay exists to prevent: at 02:17 an agent restarted postgres-0 because its nightly backup
// had pushed memory to 6.2 GB, and a day of data was lost. These tests must stay green forever.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../src/decide/index.ts';
import { permitsExecution, verdictSchema } from '../../src/domain/index.ts';
import {
  alert,
  backupWindow,
  postgresFacts,
  restartPostgres,
  restartStaging,
  stagingFacts,
  storyPolicy,
} from '../support/story-policy.ts';

const memoryAlert = (at: string) =>
  alert('PodMemoryHigh', { namespace: 'databases', pod: 'postgres-0', severity: 'critical' }, at);
const byRule = (rule: string) => ({ type: 'rule', rule }) as const;
const rules = (v: { reasons: { rule: string }[] }) => v.reasons.map((r) => r.rule);

describe('the 02:17 story', () => {
  it('blocks the restart of postgres-0 inside its backup window, naming the window and its end', () => {
    const now = new Date('2026-03-14T02:17:00Z');
    const verdict = decide(
      storyPolicy,
      {
        request: restartPostgres,
        origin: byRule('memory-pressure-restart'),
        alert: memoryAlert('2026-03-14T02:16:00Z'),
      },
      postgresFacts(now.toISOString(), { windows: [backupWindow] }),
      now,
    );
    assert.equal(verdict.disposition, 'blocked');
    assert.ok(verdictSchema.safeParse(verdict).success);
    const window = verdict.reasons.find((r) => r.rule === 'window:postgres-nightly-backup');
    assert.ok(window, `expected the window among ${rules(verdict)}`);
    assert.equal(window.until, '2026-03-14T02:45:00.000Z');
    assert.match(verdict.headline, /Blocked.*postgres-nightly-backup until 02:45 UTC/);
    assert.equal(permitsExecution(verdict, true), false, 'not even an approval may run it');
    // The rule's own conditions say the same thing, one by one.
    const conditions = verdict.rule?.conditions ?? [];
    assert.equal(verdict.rule?.applies, false);
    assert.deepEqual(
      conditions.map((c) => [c.condition.split(' ')[0], c.met]),
      [
        ['alert', true],
        ['container_memory_working_set_bytes', true],
        ['not', false],
        ['not', true],
        ['namespace', false],
      ],
    );
  });

  it('at 03:10 the 02:00 backup is still running: the restart is blocked because the Job has not finished', () => {
    // The schedule's window (02:00 + 45m) closed at 02:45; the backup Job seen in the cluster did not.
    const now = new Date('2026-03-14T03:10:00Z');
    const runningBackup = {
      name: 'backup-job:databases/postgres-backup-29557560',
      kind: 'backup',
      start: '2026-03-14T02:00:00.000Z',
      end: '2026-03-14T03:25:00.000Z',
      blocks: 'all',
      source: { type: 'cronjob', ref: 'databases/postgres-backup' },
      job: {
        name: 'postgres-backup-29557560',
        startedAt: '2026-03-14T02:00:00.000Z',
        state: 'running',
        recentRunMs: 40 * 60_000,
      },
    } as const;
    const verdict = decide(
      storyPolicy,
      {
        request: restartPostgres,
        origin: byRule('memory-pressure-restart'),
        alert: memoryAlert('2026-03-14T03:09:00Z'),
      },
      postgresFacts(now.toISOString(), { windows: [backupWindow, runningBackup] }),
      now,
    );
    assert.equal(verdict.disposition, 'blocked');
    assert.equal(permitsExecution(verdict, true), false, 'not even an approval may run it');
    assert.ok(!rules(verdict).includes('window:postgres-nightly-backup'), 'the scheduled window is over');
    const block = verdict.reasons.find(
      (r) => r.rule === 'window:backup-job:databases/postgres-backup-29557560',
    );
    assert.match(
      block?.message ?? '',
      /^backup job postgres-backup-29557560 has been running since 02:00 UTC \(recent runs took about 40 min\) and has not finished\./,
    );
    assert.match(
      verdict.headline,
      /Blocked: .* — backup job postgres-backup-29557560 has been running since 02:00 UTC/,
    );
    assert.equal(
      verdict.rule?.conditions.find((c) => c.condition.startsWith('not inside'))?.met,
      false,
      'the rule sees the running backup too',
    );
  });

  it('asks an approver for the same alert at 14:00, and never runs it on its own', () => {
    const now = new Date('2026-03-14T14:00:00Z');
    const verdict = decide(
      storyPolicy,
      {
        request: restartPostgres,
        origin: byRule('memory-pressure-restart'),
        alert: memoryAlert('2026-03-14T13:59:00Z'),
      },
      postgresFacts(now.toISOString()),
      now,
    );
    assert.equal(verdict.disposition, 'approval');
    assert.ok(rules(verdict).includes('tier:production-critical'));
    assert.ok(rules(verdict).includes('tier:statefulset'));
    assert.deepEqual(verdict.approvers, {
      users: ['U0DBA0001'],
      groups: ['S0ONCALL1'],
      twoPerson: true,
      namespaceClass: 'production-critical',
    });
    assert.equal(permitsExecution(verdict, false), false);
  });

  it('never runs the restart automatically even when a policy (bypassing check-config) says auto', () => {
    const now = new Date('2026-03-14T14:00:00Z');
    const autoPolicy = {
      ...storyPolicy,
      rules: storyPolicy.rules.map((r) => ({
        ...r,
        mode: 'auto' as const,
        when: { ...r.when, namespaceClass: undefined },
      })),
    };
    const verdict = decide(
      autoPolicy,
      {
        request: restartPostgres,
        origin: byRule('memory-pressure-restart'),
        alert: memoryAlert('2026-03-14T13:59:00Z'),
      },
      postgresFacts(now.toISOString(), { approvedBefore: ['restart-pod@Pod of StatefulSet'] }),
      now,
    );
    assert.equal(verdict.disposition, 'approval');
    assert.ok(rules(verdict).includes('auto:no-inverse'));
  });

  it('suggests restarting a pod crashlooping in staging', () => {
    const now = new Date('2026-03-14T10:00:00Z');
    const verdict = decide(
      storyPolicy,
      {
        request: restartStaging('api-7d9f8-x2x4q'),
        origin: byRule('crashloop-restart'),
        alert: alert(
          'KubePodCrashLooping',
          { namespace: 'staging', pod: 'api-7d9f8-x2x4q' },
          '2026-03-14T09:50:00Z',
        ),
      },
      stagingFacts('api-7d9f8-x2x4q'),
      now,
    );
    assert.equal(verdict.disposition, 'suggest', verdict.headline);
    assert.equal(verdict.rule?.applies, true);
    assert.deepEqual(
      verdict.rateBudget.map((b) => [b.scope, b.remaining]),
      [
        ['pod', 1],
        ['namespace', 3],
      ],
    );
  });

  it('blocks a second restart of the same pod within the hour, naming the first and when the slot frees', () => {
    const now = new Date('2026-03-14T10:30:00Z');
    const verdict = decide(
      storyPolicy,
      { request: restartStaging('api-7d9f8-x2x4q'), origin: { type: 'manual', user: 'U0SRE0001' } },
      stagingFacts('api-7d9f8-x2x4q', {
        ledger: [
          {
            at: '2026-03-14T10:05:00Z',
            kind: 'restart-pod',
            cluster: 'default',
            namespace: 'staging',
            workload: 'Deployment/api',
            pod: 'api-7d9f8-x2x4q',
            proposalId: 'p-first',
          },
        ],
      }),
      now,
    );
    assert.equal(verdict.disposition, 'blocked');
    const limit = verdict.reasons.find((r) => r.rule === 'rate-limit:pod');
    assert.ok(limit);
    assert.equal(limit.until, '2026-03-14T11:05:00.000Z');
    assert.match(limit.message, /p-first/);
    assert.match(limit.message, /10:05 UTC/);
  });

  it('blocks a fourth restart in one namespace within an hour', () => {
    const now = new Date('2026-03-14T10:30:00Z');
    const ledger = ['a', 'b', 'c'].map((p, i) => ({
      at: `2026-03-14T10:0${i}:00Z`,
      kind: 'restart-pod' as const,
      cluster: 'default',
      namespace: 'staging',
      pod: `web-${p}`,
      proposalId: `p-${p}`,
    }));
    const verdict = decide(
      storyPolicy,
      { request: restartStaging('api-7d9f8-x2x4q'), origin: { type: 'manual', user: 'U0SRE0001' } },
      stagingFacts('api-7d9f8-x2x4q', { ledger }),
      now,
    );
    assert.equal(verdict.disposition, 'blocked');
    const limit = verdict.reasons.find((r) => r.rule === 'rate-limit:namespace');
    assert.equal(limit?.until, '2026-03-14T11:00:00.000Z');
    assert.deepEqual(verdict.rateBudget.find((b) => b.scope === 'namespace')?.remaining, 0);
  });

  for (const [name, extra] of [
    ['a security freeze', { freeze: { active: true, reason: 'suspected intrusion', by: 'U0SEC0001' } }],
    ['a pause', { pause: { active: true, by: 'U0SRE0001' } }],
  ] as const) {
    it(`blocks during ${name}`, () => {
      const now = new Date('2026-03-14T10:00:00Z');
      const verdict = decide(
        storyPolicy,
        { request: restartStaging('api-7d9f8-x2x4q'), origin: { type: 'manual', user: 'U0SRE0001' } },
        stagingFacts('api-7d9f8-x2x4q', extra),
        now,
      );
      assert.equal(verdict.disposition, 'blocked');
      assert.ok(rules(verdict).includes(name === 'a pause' ? 'pause' : 'freeze'));
    });
  }

  for (const [request, rule] of [
    [
      { kind: 'patch-networkpolicy', target: { namespace: 'staging', name: 'deny-all' } },
      'never:network-policy',
    ],
    [
      { kind: 'patch-secret', target: { namespace: 'staging', name: 'db-password' } },
      'never:secrets-rbac-iam',
    ],
    [
      { kind: 'delete', target: { kind: 'StatefulSet', namespace: 'databases', name: 'postgres' } },
      'never:delete-stateful',
    ],
    [{ kind: 'run-migration', target: { namespace: 'databases' } }, 'never:schema-migration'],
    [{ kind: 'delete-namespace', target: { name: 'production' } }, 'never:delete-stateful'],
    [{ kind: 'exec', command: 'rm -rf /' }, 'catalog'],
  ] as const) {
    it(`forbids ${JSON.stringify(request)}`, () => {
      const verdict = decide(
        storyPolicy,
        { request, origin: { type: 'model', promptVersion: 'test' } },
        stagingFacts('x'),
        new Date('2026-03-14T10:00:00Z'),
      );
      assert.equal(verdict.disposition, 'forbidden');
      assert.deepEqual(rules(verdict), [rule]);
      assert.match(verdict.headline, /Forbidden/);
    });
  }

  it('needs approval for an action kind never approved before for that kind of target', () => {
    const verdict = decide(
      storyPolicy,
      { request: restartStaging('api-7d9f8-x2x4q'), origin: { type: 'manual', user: 'U0SRE0001' } },
      stagingFacts('api-7d9f8-x2x4q', { approvedBefore: ['restart-pod@Pod of StatefulSet'] }),
      new Date('2026-03-14T10:00:00Z'),
    );
    assert.equal(verdict.disposition, 'approval');
    assert.deepEqual(
      verdict.reasons.filter((r) => r.effect === 'approval').map((r) => r.rule),
      ['novelty'],
    );
    assert.equal(verdict.noveltyKey, 'restart-pod@Pod of Deployment');
  });
});
