// How long does one `decide` take with a large policy and history: 100 rules, 50 windows in the facts and a
// 1,000-entry rate ledger, all inside the longest limit window (the store prunes the rest)? decide runs for
// every candidate action, so it must stay far below anything a human or the event loop would notice.
// LEDGER=0 measures the same policy with an empty ledger.
import { performance } from 'node:perf_hooks';
import { decide } from '../src/decide/index.ts';
import { factsSchema, type PolicyInput, policySchema } from '../src/domain/index.ts';
import { alert, memorySeries, storyPolicyInput } from '../test/support/story-policy.ts';

const RULES = 100;
const WINDOWS = 50;
const LEDGER = Number(process.env.LEDGER ?? 1_000);
const RUNS = 20_000;
const BUDGET_US = 50;
const now = new Date('2026-03-14T10:00:00Z');

const rules = Array.from({ length: RULES }, (_, i) => ({
  name: `rule-${i}`,
  action: 'restart-pod' as const,
  mode: 'suggest' as const,
  when: {
    alert: { name: i === RULES - 1 ? 'PodMemoryHigh' : `Alert${i}` },
    metric: { name: 'container_memory_working_set_bytes', above: '5GB', for: '60s' },
    notInWindow: true,
    notRestartedWithin: '1h',
    namespaceClass: { notIn: ['production-critical'] },
  },
}));
const policy = policySchema.parse({
  ...storyPolicyInput,
  rules,
  rateLimits: [
    { scope: 'pod', actions: ['restart-pod', 'rollout-restart'], limit: 1, window: '1h' },
    { scope: 'namespace', actions: ['restart-pod', 'rollout-restart'], limit: 3, window: '1h' },
    { scope: 'workload', actions: ['restart-pod', 'rollout-restart'], limit: 1_000, window: '30d' },
    { scope: 'cluster', actions: ['restart-pod', 'rollout-restart', 'scale'], limit: 5_000, window: '30d' },
  ],
} satisfies PolicyInput);

// Windows around now, none open, so every one is checked and none short-circuits the verdict.
const windows = Array.from({ length: WINDOWS }, (_, i) => {
  const start = now.getTime() + (i + 1) * 3_600_000 * (i % 2 === 0 ? 1 : -3);
  return {
    name: `window-${i}`,
    kind: 'maintenance',
    start: new Date(start).toISOString(),
    end: new Date(start + 1_800_000).toISOString(),
    blocks: 'all',
    source: { type: 'config', ref: `belay.yaml windows/window-${i}` },
  };
});
// A month of restarts in one namespace and workload, spread over the 30-day window: every entry counts.
const ledger = Array.from({ length: LEDGER }, (_, i) => ({
  at: new Date(now.getTime() - (LEDGER - i) * 2_500_000).toISOString(),
  kind: 'restart-pod',
  cluster: 'default',
  namespace: 'staging',
  workload: 'Deployment/api',
  pod: `api-${i % 40}`,
  proposalId: `prop-${i}`,
}));
const facts = factsSchema.parse({
  cluster: 'default',
  namespace: 'staging',
  pod: { name: 'api-7', labels: { app: 'api' }, restartCount: 7 },
  owner: { kind: 'Deployment', name: 'api' },
  approvedBefore: ['restart-pod@Pod of Deployment'],
  metrics: [memorySeries(now.toISOString(), 6.2e9)],
  windows,
  ledger,
});
const candidate = {
  request: { kind: 'restart-pod', target: { cluster: 'default', namespace: 'staging', pod: 'api-7' } },
  origin: { type: 'rule', rule: `rule-${RULES - 1}` },
  alert: alert('PodMemoryHigh', { namespace: 'staging', pod: 'api-7' }, '2026-03-14T09:50:00Z'),
} as const;

for (let i = 0; i < 2_000; i++) decide(policy, candidate, facts, now); // JIT warm-up
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  decide(policy, candidate, facts, now);
  times.push((performance.now() - t0) * 1_000);
}
times.sort((a, b) => a - b);
const at = (p: number) =>
  times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))] ?? Number.NaN;
const median = at(50);
console.log(
  `decide: ${RULES} rules, ${WINDOWS} windows, ${LEDGER}-entry ledger, ${RUNS} runs: ` +
    `median ${median.toFixed(1)} µs  p99 ${at(99).toFixed(1)} µs  (target: median < ${BUDGET_US} µs)`,
);
const pass = median < BUDGET_US;
console.log(`${pass ? 'PASS' : 'FAIL'}: median decide < ${BUDGET_US} µs`);
process.exitCode = pass ? 0 : 1;
