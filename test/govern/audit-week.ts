import type { Reason, Verdict } from '../../src/domain/index.ts';
import type { AuditAppendInput, AuditLog } from '../../src/govern/store/index.ts';
import type { ManualClock } from '../fakes/manual-clock.ts';

/** The week the digest tests count: Monday 09:00 UTC to the next Monday 09:00 UTC. */
export const WEEK_FROM = '2026-03-09T09:00:00.000Z';
export const WEEK_TO = '2026-03-16T09:00:00.000Z';

const bot = { type: 'bot', id: 'belay' } as const;
const policy = { type: 'system', id: 'policy' } as const;
const alice = { type: 'user', id: 'U0ALICE' } as const;
const bob = { type: 'user', id: 'U0BOB' } as const;

export function verdict(
  disposition: Verdict['disposition'],
  headline: string,
  reasons: Reason[],
  decidedAt: string,
  extra: Partial<Verdict> = {},
): Verdict {
  return {
    disposition,
    dryRun: false,
    headline,
    reasons,
    rateBudget: [],
    namespaceClass: 'production-critical',
    decidedAt,
    ...extra,
  };
}

const backupWindow: Reason = {
  rule: 'window:postgres-nightly-backup',
  effect: 'blocked',
  message: 'Inside backup window postgres-nightly-backup until 02:45 UTC.',
  until: '2026-03-10T02:45:00.000Z',
};
const critical: Reason = {
  rule: 'tier:production-critical',
  effect: 'approval',
  message: 'databases is production-critical.',
};

function firing(
  name: string,
  fingerprint: string,
  startsAt: string,
  status: 'firing' | 'resolved' = 'firing',
) {
  return {
    type: 'alert.received',
    actor: { type: 'system', id: 'alertmanager' },
    summary: `${name} ${status}`,
    data: {
      alert: {
        source: 'alertmanager',
        fingerprint,
        status,
        name,
        labels: { namespace: 'databases' },
        annotations: {},
        startsAt,
        receivedAt: startsAt,
      },
    },
  } satisfies AuditAppendInput;
}

/**
 * A realistic week, written through a real audit log at the times it happened (the clock is moved to each
 * record's time, so the log stamps it as it would in production). Returns the digest it must give.
 */
export async function writeWeek(audit: AuditLog, clock: ManualClock) {
  const at = async (when: string, input: AuditAppendInput) => {
    clock.set(when);
    return audit.append(input);
  };
  const windowVerdict = verdict(
    'blocked',
    'Blocked: restart pod databases/postgres-0 — Inside backup window postgres-nightly-backup until 02:45 UTC',
    [backupWindow, critical],
    '2026-03-10T02:17:00.000Z',
  );

  // The week before: must not count.
  await at('2026-03-02T03:00:00.000Z', firing('PostgresMemoryHigh', 'a1', '2026-03-02T02:59:00.000Z'));
  await at('2026-03-08T10:00:00.000Z', {
    type: 'execution.finished',
    proposalId: 'p-old',
    actor: bot,
    summary: 'succeeded',
    data: { outcome: { status: 'succeeded', message: 'restarted' } },
  });
  await at('2026-03-09T08:59:59.999Z', {
    type: 'proposal.rejected',
    proposalId: 'p-edge',
    actor: bob,
    summary: 'x',
  });

  // The 02:17 story: memory alert during the backup, repeated by Alertmanager, blocked by the window.
  await at('2026-03-09T09:00:00.000Z', firing('KubePodCrashLooping', 'b1', '2026-03-09T08:58:00.000Z'));
  await at('2026-03-10T02:17:00.000Z', firing('PostgresMemoryHigh', 'a1', '2026-03-10T02:16:00.000Z'));
  await at('2026-03-10T02:17:01.000Z', {
    type: 'verdict',
    incidentId: 'inc-1',
    actor: policy,
    summary: windowVerdict.headline,
    data: { verdict: windowVerdict, origin: { type: 'rule', rule: 'memory-high' } },
  });
  await at('2026-03-10T02:17:02.000Z', {
    type: 'proposal.created',
    incidentId: 'inc-1',
    proposalId: 'p1',
    actor: bot,
    summary: 'Proposed: restart pod databases/postgres-0',
    data: { verdict: windowVerdict },
  });
  await at('2026-03-10T02:21:00.000Z', firing('PostgresMemoryHigh', 'a1', '2026-03-10T02:16:00.000Z'));
  // Someone clicks anyway (a stale message): the gate decides again, still inside the window.
  const atClick = { ...windowVerdict, decidedAt: '2026-03-10T02:30:00.000Z' };
  await at('2026-03-10T02:30:00.000Z', {
    type: 'verdict',
    incidentId: 'inc-1',
    proposalId: 'p1',
    actor: policy,
    summary: atClick.headline,
    data: { verdict: atClick, stage: 'execution-gate' },
  });
  await at(
    '2026-03-10T02:40:00.000Z',
    firing('PostgresMemoryHigh', 'a1', '2026-03-10T02:16:00.000Z', 'resolved'),
  );
  // The click path and the sweep both wrote an expiry for p1: one proposal, one expiry.
  await at('2026-03-10T02:47:02.000Z', {
    type: 'proposal.expired',
    proposalId: 'p1',
    actor: alice,
    summary: 'x',
  });
  await at('2026-03-10T02:47:05.000Z', {
    type: 'proposal.expired',
    proposalId: 'p1',
    actor: { type: 'system', id: 'expiry-sweep' },
    summary: 'x',
  });

  // p2: approved by a person, executed, reverted.
  await at('2026-03-11T14:00:00.000Z', firing('PostgresMemoryHigh', 'a1', '2026-03-11T13:59:00.000Z'));
  await at('2026-03-11T14:05:00.000Z', {
    type: 'proposal.approved',
    proposalId: 'p2',
    actor: alice,
    summary: 'x',
  });
  await at('2026-03-11T14:05:02.000Z', {
    type: 'execution.finished',
    proposalId: 'p2',
    actor: bot,
    summary: 'succeeded',
    data: { outcome: { status: 'succeeded', message: 'restarted' } },
  });
  await at('2026-03-11T14:20:00.000Z', {
    type: 'revert.finished',
    proposalId: 'p2',
    actor: bot,
    summary: 'succeeded',
    data: { outcome: { status: 'succeeded', message: 'scaled back' } },
  });

  // p3: an auto rule ran it; the bot's go-ahead is not a human approval.
  await at('2026-03-12T03:00:00.000Z', {
    type: 'proposal.approved',
    proposalId: 'p3',
    actor: bot,
    summary: 'x',
  });
  await at('2026-03-12T03:00:01.000Z', {
    type: 'execution.finished',
    proposalId: 'p3',
    actor: bot,
    summary: 'succeeded',
    data: { outcome: { status: 'succeeded', message: 'rolled out' } },
  });

  // p4 rejected; p5 blocked by a freeze and the pod's rate limit at once; p6 failed verification.
  await at('2026-03-12T10:00:00.000Z', {
    type: 'proposal.rejected',
    proposalId: 'p4',
    actor: bob,
    summary: 'x',
  });
  const frozen = verdict(
    'blocked',
    'Blocked: restart pod shop/web-1 — A security incident froze changes',
    [
      { rule: 'freeze', effect: 'blocked', message: 'A security incident froze changes.' },
      { rule: 'rate-limit:pod', effect: 'blocked', message: 'shop/web-1 was restarted at 09:40.' },
    ],
    '2026-03-13T10:00:00.000Z',
  );
  for (const second of ['00', '05']) {
    await at(`2026-03-13T10:00:${second}.000Z`, {
      type: 'verdict',
      incidentId: 'inc-5',
      proposalId: 'p5',
      actor: policy,
      summary: frozen.headline,
      data: { verdict: frozen, stage: 'execution-gate' },
    });
  }
  await at('2026-03-13T11:00:00.000Z', {
    type: 'proposal.approved',
    proposalId: 'p6',
    actor: bob,
    summary: 'x',
  });
  await at('2026-03-13T11:00:05.000Z', {
    type: 'execution.finished',
    proposalId: 'p6',
    actor: bot,
    summary: 'verification-failed',
    data: { outcome: { status: 'verification-failed', message: 'still crashing' } },
  });
  await at('2026-03-13T11:01:00.000Z', {
    type: 'revert.finished',
    proposalId: 'p6',
    actor: bot,
    summary: 'failed',
    data: { outcome: { status: 'failed', message: 'API refused' } },
  });
  // Reconciled after a crash: no outcome, not an execution.
  await at('2026-03-13T12:00:00.000Z', {
    type: 'execution.finished',
    proposalId: 'p7',
    actor: { type: 'system', id: 'reconcile' },
    summary: 'Belay stopped while this was executing',
    data: { interruptedIn: 'executing' },
  });

  // A dry-run rule fired three times, for two targets.
  for (const [when, pod] of [
    ['2026-03-14T01:00:00.000Z', 'web-1'],
    ['2026-03-14T05:00:00.000Z', 'web-1'],
    ['2026-03-15T01:00:00.000Z', 'web-2'],
  ] as const) {
    const dry = verdict(
      'suggest',
      `Dry run — Suggested: restart pod shop/${pod} — Rule restart-on-oom applies`,
      [],
      when,
      {
        dryRun: true,
      },
    );
    await at(when, {
      type: 'verdict',
      incidentId: `inc-${pod}`,
      actor: policy,
      summary: `Dry run of restart-on-oom: ${dry.headline}`,
      data: { verdict: dry, rule: 'restart-on-oom', dryRun: true },
    });
    await at(when.replace(':00.000Z', ':01.000Z'), firing('KubePodOOMKilled', `oom-${pod}`, when));
  }
  // A verdict record whose data is not a verdict (a manual request that could not be classified, say).
  await at('2026-03-15T02:00:00.000Z', {
    type: 'verdict',
    actor: policy,
    summary: 'odd',
    data: { request: 'x' },
  });

  // Just after the week: must not count.
  await at(WEEK_TO, {
    type: 'execution.finished',
    proposalId: 'p-next',
    actor: bot,
    summary: 'succeeded',
    data: { outcome: { status: 'succeeded', message: 'restarted' } },
  });

  return {
    from: WEEK_FROM,
    to: WEEK_TO,
    executed: 2,
    approved: 2,
    rejected: 1,
    reverted: 1,
    expired: 1,
    blockedByReason: [
      { rule: 'freeze', count: 1 },
      { rule: 'rate-limit:pod', count: 1 },
      { rule: 'window:postgres-nightly-backup', count: 1 },
    ],
    dryRun: [
      {
        rule: 'restart-on-oom',
        wouldHave: 'Suggested: restart pod shop/web-1 — Rule restart-on-oom applies',
        count: 2,
      },
      {
        rule: 'restart-on-oom',
        wouldHave: 'Suggested: restart pod shop/web-2 — Rule restart-on-oom applies',
        count: 1,
      },
    ],
    noisiestAlerts: [
      { alert: 'KubePodOOMKilled', count: 3 },
      { alert: 'PostgresMemoryHigh', count: 2 },
      { alert: 'KubePodCrashLooping', count: 1 },
    ],
  };
}
