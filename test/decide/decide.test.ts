import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, rateBudgets } from '../../src/decide/index.ts';
import type { Policy } from '../../src/domain/index.ts';
import { factsSchema, permitsExecution, policySchema, verdictSchema } from '../../src/domain/index.ts';
import {
  alert,
  restartStaging,
  stagingFacts,
  storyPolicy,
  storyPolicyInput,
} from '../support/story-policy.ts';

const now = new Date('2026-03-14T10:00:00Z');
const manual = { type: 'manual', user: 'U0SRE0001' } as const;
const scaleWeb = {
  kind: 'scale',
  target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
  replicas: 6,
};

function shopFacts(extra: Record<string, unknown> = {}) {
  return factsSchema.parse({
    cluster: 'default',
    namespace: 'shop',
    owner: { kind: 'Deployment', name: 'web' },
    approvedBefore: ['scale@Deployment'],
    ...extra,
  });
}

const autoScalePolicy: Policy = policySchema.parse({
  ...storyPolicyInput,
  rules: [
    {
      name: 'scale-on-latency',
      action: 'scale',
      replicas: 6,
      mode: 'auto',
      when: { alert: { name: 'HighLatency' }, namespaceClass: { notIn: ['production-critical'] } },
    },
    {
      name: 'scale-dry',
      action: 'scale',
      replicas: 6,
      mode: 'dry-run',
      when: { alert: { name: 'HighLatency' } },
    },
  ],
});
const latency = alert('HighLatency', { namespace: 'shop', deployment: 'web' }, '2026-03-14T09:55:00Z');

describe('decide: dispositions', () => {
  const cases: {
    name: string;
    policy?: Policy;
    candidate: Parameters<typeof decide>[1];
    facts: ReturnType<typeof shopFacts>;
    disposition: string;
    rule?: string;
  }[] = [
    {
      name: 'an auto rule whose conditions hold runs automatically',
      policy: autoScalePolicy,
      candidate: { request: scaleWeb, origin: { type: 'rule', rule: 'scale-on-latency' }, alert: latency },
      facts: shopFacts(),
      disposition: 'auto',
    },
    {
      name: 'an alert storm takes auto back to a human',
      policy: autoScalePolicy,
      candidate: { request: scaleWeb, origin: { type: 'rule', rule: 'scale-on-latency' }, alert: latency },
      facts: shopFacts({ storm: true }),
      disposition: 'suggest',
      rule: 'storm',
    },
    {
      name: 'the storm breaker takes auto back when most replicas are unhealthy',
      policy: autoScalePolicy,
      candidate: { request: scaleWeb, origin: { type: 'rule', rule: 'scale-on-latency' }, alert: latency },
      facts: shopFacts({ replicas: { desired: 4, unhealthy: 3 } }),
      disposition: 'suggest',
      rule: 'storm-breaker',
    },
    {
      name: 'a manual request is suggested, never auto',
      policy: autoScalePolicy,
      candidate: { request: scaleWeb, origin: manual },
      facts: shopFacts(),
      disposition: 'suggest',
      rule: 'origin:manual',
    },
    {
      name: 'a model proposal is suggested',
      candidate: { request: scaleWeb, origin: { type: 'model', promptVersion: 'v1' } },
      facts: shopFacts(),
      disposition: 'suggest',
    },
    {
      name: 'a rule that left the policy needs approval',
      candidate: { request: scaleWeb, origin: { type: 'rule', rule: 'gone' }, alert: latency },
      facts: shopFacts(),
      disposition: 'approval',
      rule: 'rule:gone',
    },
    {
      name: 'an action in another namespace than the incident is forbidden',
      candidate: { request: scaleWeb, origin: manual },
      facts: shopFacts({ namespace: 'staging' }),
      disposition: 'forbidden',
      rule: 'target-scope',
    },
    {
      name: 'a ConfigMap key not declared safe is forbidden',
      candidate: {
        request: {
          kind: 'patch-configmap',
          target: { namespace: 'shop', name: 'web-config' },
          data: { LOG_LEVEL: 'debug' },
        },
        origin: manual,
      },
      facts: shopFacts({ approvedBefore: ['patch-configmap@ConfigMap'] }),
      disposition: 'forbidden',
      rule: 'configmap-safe-keys',
    },
    {
      name: 'a malformed catalog request is refused',
      candidate: { request: { kind: 'scale', target: { namespace: 'shop' }, replicas: -1 }, origin: manual },
      facts: shopFacts(),
      disposition: 'forbidden',
      rule: 'invalid-request',
    },
    {
      name: 'a window that blocks other kinds only does not block this one',
      candidate: { request: scaleWeb, origin: manual },
      facts: shopFacts({
        windows: [
          {
            name: 'w',
            kind: 'maintenance',
            start: '2026-03-14T09:00:00Z',
            end: '2026-03-14T11:00:00Z',
            blocks: ['restart-pod'],
            source: { type: 'config', ref: 'x' },
          },
        ],
      }),
      disposition: 'suggest',
    },
    {
      name: 'a window that has closed does not block',
      candidate: { request: scaleWeb, origin: manual },
      facts: shopFacts({
        windows: [
          {
            name: 'w',
            kind: 'maintenance',
            start: '2026-03-14T08:00:00Z',
            end: '2026-03-14T10:00:00Z',
            blocks: 'all',
            source: { type: 'config', ref: 'x' },
          },
        ],
      }),
      disposition: 'suggest',
    },
    {
      name: 'an unreachable calendar blocks when it fails closed',
      candidate: { request: scaleWeb, origin: manual },
      facts: shopFacts({
        calendarProblems: [
          { source: 'alertmanager-silences', message: 'timeout after 2s', failClosed: true },
        ],
      }),
      disposition: 'blocked',
      rule: 'calendar:alertmanager-silences',
    },
    {
      name: 'an unreachable calendar set to fail open does not block',
      candidate: { request: scaleWeb, origin: manual },
      facts: shopFacts({ calendarProblems: [{ source: 'pagerduty', message: '503', failClosed: false }] }),
      disposition: 'suggest',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const verdict = decide(c.policy ?? storyPolicy, c.candidate, c.facts, now);
      assert.equal(verdict.disposition, c.disposition, verdict.headline);
      assert.ok(verdictSchema.safeParse(verdict).success);
      if (c.rule)
        assert.ok(
          verdict.reasons.some((r) => r.rule === c.rule),
          JSON.stringify(verdict.reasons.map((r) => r.rule)),
        );
    });
  }

  it('a dry-run rule reports what would have happened and can never execute', () => {
    const verdict = decide(
      autoScalePolicy,
      { request: scaleWeb, origin: { type: 'rule', rule: 'scale-dry' }, alert: latency },
      shopFacts(),
      now,
    );
    assert.equal(verdict.dryRun, true);
    assert.match(verdict.headline, /^Dry run/);
    assert.equal(permitsExecution(verdict, true), false);
  });

  it('a policy tier raises a kind of action to approval but never lowers a floor', () => {
    const policy = policySchema.parse({
      ...storyPolicyInput,
      tiers: [
        { namespaceClass: 'staging', actions: ['restart-pod'], tier: 'approval' },
        { namespaceClass: 'production-critical', tier: 'suggest' },
      ],
    });
    const staging = decide(
      policy,
      { request: restartStaging('api-1'), origin: manual },
      stagingFacts('api-1'),
      now,
    );
    assert.equal(staging.disposition, 'approval');
    const critical = decide(
      policy,
      { request: { kind: 'restart-pod', target: { namespace: 'databases', pod: 'pg-0' } }, origin: manual },
      factsSchema.parse({
        cluster: 'default',
        namespace: 'databases',
        owner: { kind: 'Deployment', name: 'pg' },
        approvedBefore: ['restart-pod@Pod of Deployment'],
      }),
      now,
    );
    assert.equal(critical.disposition, 'approval');
  });

  it('unmet rule conditions say which ones, in words', () => {
    const verdict = decide(
      storyPolicy,
      {
        request: restartStaging('api-1'),
        origin: { type: 'rule', rule: 'memory-pressure-restart' },
        alert: alert('PodMemoryHigh', { namespace: 'staging', pod: 'api-1' }, '2026-03-14T09:59:30Z'),
      },
      stagingFacts('api-1', {
        metrics: [
          {
            name: 'container_memory_working_set_bytes',
            samples: [{ at: '2026-03-14T09:59:30Z', value: 6.2e9 }],
          },
        ],
      }),
      now,
    );
    assert.equal(verdict.disposition, 'approval');
    const reason = verdict.reasons.find((r) => r.rule === 'rule:memory-pressure-restart');
    assert.match(reason?.message ?? '', /above 5G for 1m \(not enough history\)/);
  });

  it('a namespace takes its class from its labels when no class names it', () => {
    const policy = policySchema.parse({
      ...storyPolicyInput,
      namespaceClasses: [
        { name: 'production-critical', critical: true, labels: { 'belay.io/class': 'critical' } },
        { name: 'standard' },
      ],
      rules: [],
    });
    const verdict = decide(
      policy,
      { request: scaleWeb, origin: manual },
      shopFacts({ namespaceLabels: { 'belay.io/class': 'critical' } }),
      now,
    );
    assert.equal(verdict.namespaceClass, 'production-critical');
    assert.equal(verdict.disposition, 'approval');
  });
});

describe('decide: totality', () => {
  it('answers every hostile or malformed request with a valid verdict and never throws', () => {
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'restart everything',
      [],
      {},
      { kind: null },
      { kind: 'restart-pod' },
      { kind: 'restart-pod', target: { namespace: '../../etc', pod: 'x' } },
      { kind: 'restart-pod', target: { namespace: 'staging', pod: 'a'.repeat(300) } },
      { kind: 'scale', target: { namespace: 'shop', workloadKind: 'DaemonSet', name: 'x' }, replicas: 1 },
      {
        kind: 'restart-pod',
        target: { namespace: 'staging', pod: 'api-1' },
        approvedBy: 'admin',
        tier: 'auto',
      },
      { kind: '__proto__' },
      { kind: 'constructor', target: {} },
      { kind: 'x'.repeat(100_000) },
    ];
    for (const request of junk) {
      const verdict = decide(
        storyPolicy,
        { request, origin: { type: 'model', promptVersion: 'v' } },
        stagingFacts('api-1'),
        now,
      );
      assert.equal(
        verdict.disposition,
        'forbidden',
        `${JSON.stringify(request)?.slice(0, 80)} → ${verdict.headline}`,
      );
      assert.ok(verdictSchema.safeParse(verdict).success);
      assert.ok(verdict.headline.length < 600, 'a refusal stays readable');
    }
  });
});

describe('rate budgets', () => {
  it('counts only the scope, kind and window that apply', () => {
    const action = {
      kind: 'restart-pod',
      target: { cluster: 'default', namespace: 'staging', pod: 'api-1' },
    } as const;
    const ledger = [
      {
        at: '2026-03-14T09:30:00Z',
        kind: 'restart-pod',
        cluster: 'default',
        namespace: 'staging',
        pod: 'api-1',
        proposalId: 'in',
      },
      {
        at: '2026-03-14T08:59:00Z',
        kind: 'restart-pod',
        cluster: 'default',
        namespace: 'staging',
        pod: 'api-1',
        proposalId: 'too-old',
      },
      {
        at: '2026-03-14T09:40:00Z',
        kind: 'scale',
        cluster: 'default',
        namespace: 'staging',
        workload: 'Deployment/api',
        proposalId: 'other-kind',
      },
      {
        at: '2026-03-14T09:45:00Z',
        kind: 'restart-pod',
        cluster: 'other',
        namespace: 'staging',
        pod: 'api-1',
        proposalId: 'other-cluster',
      },
    ] as const;
    const budgets = rateBudgets(
      storyPolicy.rateLimits,
      action,
      { kind: 'Deployment', name: 'api' },
      ledger,
      now,
    );
    assert.deepEqual(
      budgets.map((b) => [b.scope, b.used, b.remaining, b.nextSlotAt, b.last?.proposalId]),
      [
        ['pod', 1, 0, '2026-03-14T10:30:00.000Z', 'in'],
        ['namespace', 1, 2, undefined, 'in'],
      ],
    );
  });
});
