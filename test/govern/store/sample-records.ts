import type { z } from 'zod';
import type { incidentSchema, proposalSchema, Verdict } from '../../../src/domain/index.ts';

export const T0 = '2025-03-14T02:17:00.000Z';

/** A clock the test moves by hand. */
export function manualClock(start = T0): { now: () => Date; advance: (ms: number) => void } {
  let at = Date.parse(start);
  return {
    now: () => new Date(at),
    advance: (ms) => {
      at += ms;
    },
  };
}

export const sampleVerdict: Verdict = {
  disposition: 'approval',
  dryRun: false,
  headline: 'Needs approval: databases is production-critical',
  reasons: [
    { rule: 'tier:production-critical', effect: 'approval', message: 'databases is production-critical' },
  ],
  rateBudget: [],
  namespaceClass: 'production-critical',
  decidedAt: T0,
};

export function sampleProposal(id = 'prop-1', incidentId = 'inc-1'): z.input<typeof proposalSchema> {
  return {
    schemaVersion: 1,
    id,
    incidentId,
    action: {
      kind: 'restart-pod',
      target: { cluster: 'default', namespace: 'databases', pod: 'postgres-0' },
    },
    origin: { type: 'rule', rule: 'memory-high' },
    state: 'proposed',
    createdAt: T0,
    updatedAt: T0,
    expiresAt: '2025-03-14T03:17:00.000Z',
    verdict: sampleVerdict,
    history: [],
  };
}

export function sampleIncident(
  id = 'inc-1',
  key = 'default/databases/StatefulSet/postgres',
): z.input<typeof incidentSchema> {
  return {
    schemaVersion: 1,
    id,
    key,
    cluster: 'default',
    namespace: 'databases',
    workload: { kind: 'StatefulSet', name: 'postgres' },
    title: 'PostgresMemoryHigh on postgres-0',
    status: 'open',
    alerts: { abc123: 'firing' },
    openedAt: T0,
    updatedAt: T0,
    storm: false,
  };
}
