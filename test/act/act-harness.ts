import { createExecutor, type Executor } from '../../src/act/index.ts';
import type { Action, Verdict } from '../../src/domain/index.ts';
import { issuePermit } from '../../src/govern/permit.ts';
import { type FakeClock, fakeClock } from '../fakes/fake-clock.ts';
import { FakeKubeApi, type Grant } from '../fakes/kube-api-server.ts';

export const verdict: Verdict = {
  disposition: 'approval',
  dryRun: false,
  headline: 'approved by an on-call engineer',
  reasons: [],
  rateBudget: [],
  namespaceClass: 'apps',
  decidedAt: '2026-03-10T02:17:00Z',
};

export function permit<A extends Action>(action: A, dryRunOnly = false, proposalId = 'p-1') {
  return issuePermit({
    proposalId,
    incidentId: 'i-1',
    action,
    verdict,
    dryRunOnly,
    issuedAt: '2026-03-10T02:17:00Z',
  });
}

export interface Harness {
  api: FakeKubeApi;
  clock: FakeClock;
  executor: Executor;
  close(): Promise<void>;
}

export async function harness(
  options: { grants?: readonly Grant[]; requestTimeoutMs?: number; token?: string } = {},
): Promise<Harness> {
  const clock = fakeClock();
  const api = await FakeKubeApi.start({
    clock,
    tokens: {
      admin: { user: 'admin', grants: 'all' },
      writer: { user: 'system:serviceaccount:belay:belay-writer', grants: options.grants ?? 'all' },
    },
  });
  const executor = createExecutor({
    writerFor: (cluster) => (cluster === 'default' ? api.kubeConfig(options.token ?? 'writer') : undefined),
    clock,
    sleep: (ms) => clock.sleep(ms),
    verifyTimeoutMs: 120_000,
    pollIntervalMs: 2_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    conflictAttempts: 3,
    fieldManager: 'belay',
    safeConfigMaps: [{ namespace: 'shop', name: 'web-config', safeKeys: ['LOG_LEVEL', 'FEATURE_CACHE'] }],
  });
  return { api, clock, executor, close: () => api.close() };
}
