import type { Action, Incident, Proposal, ProposalState, Verdict } from '../../src/domain/index.ts';
import { incidentSchema, proposalSchema, verdictSchema } from '../../src/domain/index.ts';
import type { IncidentView } from '../../src/govern/service.ts';

// Domain values as govern would hand them to the Slack edge, validated by the shared schemas so a fixture
// cannot drift from the real shapes.

export const NOW = new Date('2024-03-05T02:17:00Z');

export function incident(overrides: Partial<Incident> = {}): Incident {
  return incidentSchema.parse({
    schemaVersion: 1,
    id: 'inc-0217',
    key: 'default/databases/StatefulSet/postgres',
    cluster: 'default',
    namespace: 'databases',
    workload: { kind: 'StatefulSet', name: 'postgres' },
    title: 'PodMemoryHigh: postgres-0 at 6.2 GB',
    status: 'open',
    alerts: { fp1: 'firing' },
    openedAt: '2024-03-05T02:16:00Z',
    updatedAt: '2024-03-05T02:17:00Z',
    storm: false,
    ...overrides,
  });
}

export const restartPostgres: Action = {
  kind: 'restart-pod',
  target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
};

export const scaleWeb: Action = {
  kind: 'scale',
  target: { cluster: 'default', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
  replicas: 4,
};

export const blockedByBackup: Verdict = verdictSchema.parse({
  disposition: 'blocked',
  dryRun: false,
  headline:
    'Blocked: restart pod databases/postgres-0 — Inside backup window postgres-nightly-backup until 02:45 UTC on 2024-03-05',
  reasons: [
    {
      rule: 'window:postgres-nightly-backup',
      effect: 'blocked',
      message:
        'Inside backup window postgres-nightly-backup until 02:45 UTC on 2024-03-05. The window comes from CronJob databases/pg-backup.',
      until: '2024-03-05T02:45:00Z',
    },
    {
      rule: 'tier:production-critical',
      effect: 'approval',
      message: 'Namespace databases is production-critical: every action there needs an approver.',
    },
  ],
  rateBudget: [
    { scope: 'pod', key: 'databases/postgres-0', limit: 1, windowMs: 3_600_000, used: 0, remaining: 1 },
    { scope: 'namespace', key: 'databases', limit: 3, windowMs: 3_600_000, used: 1, remaining: 2 },
  ],
  namespaceClass: 'production-critical',
  decidedAt: NOW.toISOString(),
});

export const needsApproval: Verdict = verdictSchema.parse({
  disposition: 'approval',
  dryRun: false,
  headline: 'Needs approval: restart pod databases/postgres-0 — Namespace databases is production-critical',
  reasons: [
    {
      rule: 'tier:production-critical',
      effect: 'approval',
      message: 'Namespace databases is production-critical: every action there needs an approver.',
    },
  ],
  approvers: {
    users: ['U0DBA0001'],
    groups: ['S0ONCALL1'],
    twoPerson: true,
    namespaceClass: 'production-critical',
  },
  rateBudget: [],
  namespaceClass: 'production-critical',
  decidedAt: NOW.toISOString(),
});

export const suggested: Verdict = verdictSchema.parse({
  disposition: 'suggest',
  dryRun: false,
  headline:
    'Suggested: scale Deployment shop/web to 4 replicas — Action asked for by a person; a human decides',
  reasons: [
    { rule: 'origin:manual', effect: 'suggest', message: 'Action asked for by a person; a human decides.' },
  ],
  approvers: { users: [], groups: [], twoPerson: false, namespaceClass: 'standard' },
  rateBudget: [],
  namespaceClass: 'standard',
  decidedAt: NOW.toISOString(),
});

export function proposal(
  state: ProposalState,
  verdict: Verdict,
  action: Action = restartPostgres,
  extra: Partial<Proposal> = {},
): Proposal {
  const history =
    state === 'proposed'
      ? []
      : [{ from: 'proposed', to: state, at: '2024-03-05T02:20:00Z', by: { type: 'user', id: 'U0DBA0001' } }];
  return proposalSchema.parse({
    schemaVersion: 1,
    id: 'p-7f3a',
    incidentId: 'inc-0217',
    action,
    origin: { type: 'model', promptVersion: 'sha256:abc123' },
    state,
    createdAt: '2024-03-05T02:17:00Z',
    updatedAt: '2024-03-05T02:17:00Z',
    expiresAt: '2024-03-05T02:47:00Z',
    verdict,
    history,
    ...extra,
  });
}

export function view(overrides: Partial<IncidentView> = {}): IncidentView {
  return {
    incident: incident(),
    summary: 'postgres-0 memory rose to 6.2 GB at 02:00, when the nightly backup started.',
    evidence: ['container_memory_working_set_bytes 6.2e9 for 17m', 'CronJob pg-backup started 02:00:03'],
    untrustedQuotes: [],
    ...overrides,
  };
}
