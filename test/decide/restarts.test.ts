// A restart is a restart, whoever did it: Belay's restart-pod and rollout-restart count against each other
// in every scope the policy names, and a pod recreated by hand or a rolling restart by kubectl counts too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, describeRateLimit, restartHorizonMs, targetRestarts } from '../../src/decide/index.ts';
import type { FactsInput, LedgerEntry } from '../../src/domain/index.ts';
import { alert, postgresFacts, restartPostgres, storyPolicy } from '../support/story-policy.ts';

const NOW = new Date('2026-03-14T14:00:00Z');
const manual = { type: 'manual', user: 'U0DBA0001' } as const;
const rolloutPostgres = {
  kind: 'rollout-restart',
  target: { cluster: 'default', namespace: 'databases', workloadKind: 'StatefulSet', name: 'postgres' },
};
const belay = (at: string, extra: Partial<LedgerEntry>): LedgerEntry => ({
  at,
  kind: 'restart-pod',
  cluster: 'default',
  namespace: 'databases',
  workload: 'StatefulSet/postgres',
  proposalId: 'p-earlier',
  ...extra,
});
const facts = (extra: Partial<FactsInput>) => postgresFacts(NOW.toISOString(), extra);
const podBudget = (v: ReturnType<typeof decide>) => v.rateBudget.find((b) => b.scope === 'pod');

describe('a rollout-restart and a restart-pod count against each other', () => {
  it('restart-pod postgres-0 five minutes after Belay rolled its StatefulSet is blocked (pod 1/1)', () => {
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: manual },
      facts({ ledger: [belay('2026-03-14T13:55:00Z', { kind: 'rollout-restart' })] }),
      NOW,
    );
    assert.equal(verdict.disposition, 'blocked', verdict.headline);
    assert.equal(podBudget(verdict)?.used, 1);
    const limit = verdict.reasons.find((r) => r.rule === 'rate-limit:pod');
    assert.match(limit?.message ?? '', /p-earlier/);
    assert.equal(limit?.until, '2026-03-14T14:55:00.000Z');
  });

  it('rollout-restart of the StatefulSet five minutes after Belay restarted postgres-0 is blocked too', () => {
    const verdict = decide(
      storyPolicy,
      { request: rolloutPostgres, origin: manual },
      facts({ pod: undefined, ledger: [belay('2026-03-14T13:55:00Z', { pod: 'postgres-0' })] }),
      NOW,
    );
    assert.equal(verdict.disposition, 'blocked', verdict.headline);
    assert.deepEqual(
      verdict.rateBudget.map((b) => [b.scope, b.key, b.used]),
      [
        ['pod', 'every pod of default/databases/StatefulSet/postgres', 1],
        ['namespace', 'default/databases', 1],
      ],
    );
  });

  it('a rollout-restart is charged with the busiest pod of its workload, and pods of other workloads do not count', () => {
    const verdict = decide(
      {
        ...storyPolicy,
        rateLimits: [
          { scope: 'pod', actions: ['restart-pod', 'rollout-restart'], limit: 2, window: 3_600_000 },
        ],
      },
      { request: rolloutPostgres, origin: manual },
      facts({
        pod: undefined,
        ledger: [
          belay('2026-03-14T13:10:00Z', { pod: 'postgres-0' }),
          belay('2026-03-14T13:20:00Z', { pod: 'postgres-1' }),
          belay('2026-03-14T13:30:00Z', { pod: 'redis-0', workload: 'StatefulSet/redis' }),
        ],
      }),
      NOW,
    );
    assert.equal(podBudget(verdict)?.used, 1);
    assert.equal(podBudget(verdict)?.remaining, 1);
  });

  it('a rollout-restart counts against the namespace', () => {
    const ledger = ['a', 'b'].map((p, i) =>
      belay(`2026-03-14T13:1${i}:00Z`, { pod: `other-${p}`, workload: 'Deployment/other' }),
    );
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: manual },
      facts({
        ledger: [
          ...ledger,
          belay('2026-03-14T13:30:00Z', { kind: 'rollout-restart', workload: 'Deployment/other' }),
        ],
      }),
      NOW,
    );
    assert.ok(verdict.reasons.some((r) => r.rule === 'rate-limit:namespace'));
    assert.equal(podBudget(verdict)?.used, 0, 'other workloads are not this pod');
  });
});

describe('restarts Belay did not do', () => {
  const recreated = {
    at: '2026-03-14T13:50:00.000Z',
    source: 'pod-recreated',
    subject: 'postgres-0',
    evidence: 'pod created 13:50 UTC',
  } as const;

  it('postgres-0 deleted by hand ten minutes ago uses the pod budget, and the verdict names it', () => {
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: manual },
      facts({ restarts: [recreated] }),
      NOW,
    );
    assert.equal(verdict.disposition, 'blocked', verdict.headline);
    const limit = verdict.reasons.find((r) => r.rule === 'rate-limit:pod');
    assert.match(
      limit?.message ?? '',
      /The last one: postgres-0 was recreated 10 minutes ago \(pod created 13:50 UTC\)\./,
    );
    assert.equal(limit?.until, '2026-03-14T14:50:00.000Z');
  });

  it('reads as "restarted" for a rule’s notRestartedWithin, naming the restart', () => {
    const verdict = decide(
      storyPolicy,
      {
        request: restartPostgres,
        origin: { type: 'rule', rule: 'memory-pressure-restart' },
        alert: alert('PodMemoryHigh', { namespace: 'databases', pod: 'postgres-0' }, '2026-03-14T13:58:00Z'),
      },
      facts({ restarts: [recreated] }),
      NOW,
    );
    const condition = verdict.rule?.conditions.find((c) => c.condition === 'not restarted within 1h');
    assert.deepEqual(condition, {
      condition: 'not restarted within 1h',
      met: false,
      detail: 'postgres-0 was recreated 10 minutes ago (pod created 13:50 UTC)',
    });
  });

  it('a kubectl rollout restart of the StatefulSet counts against postgres-0', () => {
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: manual },
      facts({
        restarts: [
          {
            at: '2026-03-14T13:55:00.000Z',
            source: 'rollout-restart',
            subject: 'StatefulSet/postgres',
            evidence: 'kubectl.kubernetes.io/restartedAt 13:55 UTC',
          },
        ],
      }),
      NOW,
    );
    assert.match(
      verdict.reasons.find((r) => r.rule === 'rate-limit:pod')?.message ?? '',
      /StatefulSet\/postgres was restarted 5 minutes ago \(kubectl\.kubernetes\.io\/restartedAt 13:55 UTC\)/,
    );
  });

  it('a container crashing is no intervention: it fails notRestartedWithin but uses no rate-limit slot', () => {
    const crash = {
      ...recreated,
      source: 'container',
      evidence: 'container postgres ended OOMKilled at 13:50 UTC, restart 3',
    } as const;
    const f = facts({ restarts: [crash] });
    const verdict = decide(storyPolicy, { request: restartPostgres, origin: manual }, f, NOW);
    assert.equal(podBudget(verdict)?.used, 0);
    assert.equal(
      targetRestarts(f, NOW, 3_600_000)[0]?.description,
      'a container of postgres-0 restarted 10 minutes ago (container postgres ended OOMKilled at 13:50 UTC, restart 3)',
    );
  });

  it('the pod Belay itself recreated is Belay’s restart, counted once', () => {
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: manual },
      facts({
        ledger: [belay('2026-03-14T13:49:30Z', { pod: 'postgres-0' })],
        restarts: [recreated],
      }),
      NOW,
    );
    assert.deepEqual(
      verdict.rateBudget.map((b) => [b.scope, b.used]),
      [
        ['pod', 1],
        ['namespace', 1],
      ],
    );
    assert.match(
      verdict.reasons.find((r) => r.rule === 'rate-limit:pod')?.message ?? '',
      /proposal p-earlier/,
    );
  });

  it('restarts older than the window do not count', () => {
    const old = { ...recreated, at: '2026-03-14T12:30:00.000Z' };
    const verdict = decide(
      storyPolicy,
      { request: restartPostgres, origin: manual },
      facts({ restarts: [old] }),
      NOW,
    );
    assert.equal(podBudget(verdict)?.used, 0);
  });

  it('the facts reach back as far as the longest restart window or condition', () => {
    assert.equal(restartHorizonMs(storyPolicy), 3_600_000);
    assert.equal(
      restartHorizonMs({
        ...storyPolicy,
        rateLimits: [{ scope: 'pod', actions: ['restart-pod'], limit: 1, window: 7_200_000 }],
      }),
      7_200_000,
    );
  });
});

describe('describeRateLimit says what a limit counts', () => {
  it('names actions that can never count in pod scope', () => {
    assert.equal(
      describeRateLimit({ scope: 'pod', actions: ['restart-pod', 'scale'], limit: 1, window: 3_600_000 }),
      "counts Belay's own restart-pod of the pod, plus restarts of the target Belay did not do: the pod recreated (deleted by hand, evicted, rescheduled) (a crashing container does not count). scale names no pod, so it never counts here.",
    );
  });
  it('a workload limit on scale counts no restarts Belay did not do', () => {
    assert.equal(
      describeRateLimit({ scope: 'workload', actions: ['scale'], limit: 2, window: 3_600_000 }),
      "counts Belay's own scale of the workload.",
    );
  });
});
