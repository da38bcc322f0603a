import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent, WindowOccurrence } from '../../src/domain/index.ts';
import {
  auditMessage,
  errorMessage,
  explainMessage,
  helpMessage,
  resultMessage,
  statusMessage,
  threadLineMessage,
  weeklyDigestMessage,
  windowsMessage,
} from '../../src/slack/blocks/index.ts';
import { blockKitViolations } from '../support/block-kit-limits.ts';
import { blockedByBackup, incident, NOW, needsApproval, proposal } from '../support/slack-fixtures.ts';

const huge = 'y'.repeat(20_000);
const backup: WindowOccurrence = {
  name: 'postgres-nightly-backup',
  kind: 'backup',
  start: '2024-03-05T02:00:00Z',
  end: '2024-03-05T02:45:00Z',
  blocks: 'all',
  source: { type: 'cronjob', ref: 'databases/pg-backup' },
};
const text = (m: { blocks: unknown[] }) => JSON.stringify(m.blocks);

function auditEvent(seq: number, summary: string): AuditEvent {
  return {
    schemaVersion: 1,
    seq,
    at: '2024-03-05T02:20:00Z',
    type: 'proposal.approved',
    actor: { type: 'user', id: 'U0DBA0001' },
    summary,
    data: {},
  };
}

describe('command answers', () => {
  it('help lists every subcommand and says what was not understood', () => {
    const m = helpMessage('"restart" is not a /remediate subcommand.');
    for (const sub of ['status', 'propose', 'explain', 'freeze', 'pause', 'resume', 'windows', 'audit']) {
      assert.match(text(m), new RegExp(`/remediate ${sub}`));
    }
    assert.doesNotMatch(text(m), /<action>/, 'angle brackets are escaped, or Slack reads them as links');
    assert.match(text(m), /restart\W+ is not a \/remediate subcommand/);
    assert.deepEqual(blockKitViolations(m), []);
  });

  it('status shows freeze, pause, incidents, pending proposals and the next window', () => {
    const m = statusMessage(
      {
        openIncidents: [incident()],
        pendingProposals: [proposal('proposed', needsApproval)],
        freeze: { active: true, by: 'U0SEC0001', reason: 'suspected breach', until: '2024-03-05T04:00:00Z' },
        pause: { active: false },
        nextWindows: [backup],
      },
      NOW,
    );
    assert.match(text(m), /Freeze: ON\* by <@U0SEC0001> until 04:00 UTC — suspected breach/);
    assert.match(text(m), /Pause:\* off/);
    assert.match(text(m), /PodMemoryHigh/);
    assert.match(text(m), /restart pod databases\/postgres-0 — proposed, expires 02:47 UTC/);
    assert.match(text(m), /postgres-nightly-backup\* 02:00 UTC – 02:45 UTC/);
    assert.match(m.text, /1 open incidents, 1 pending proposals; freeze ON, pause off/);
    assert.deepEqual(blockKitViolations(m), []);
  });

  it('status stays within limits with hundreds of incidents', () => {
    const m = statusMessage({
      openIncidents: Array.from({ length: 300 }, (_, i) => incident({ id: `inc-${i}`, title: huge })),
      pendingProposals: [],
      freeze: { active: false },
      pause: { active: true, reason: huge },
      nextWindows: Array.from({ length: 300 }, () => backup),
    });
    assert.deepEqual(blockKitViolations(m), []);
    assert.match(text(m), /cut: \d+ more characters/);
  });

  it('windows shows open and next windows for a target', () => {
    const m = windowsMessage(
      { target: { namespace: 'databases', name: 'postgres-0' }, open: [backup], next: [] },
      NOW,
    );
    assert.match(text(m), /Open now for databases\/postgres-0/);
    assert.match(text(m), /backup \*postgres-nightly-backup\*/);
    assert.match(text(m), /cronjob databases\/pg-backup/);
    assert.deepEqual(blockKitViolations(m), []);
  });

  it('audit lists records and says so when there are none', () => {
    const m = auditMessage([auditEvent(41, 'approved p-7f3a'), auditEvent(42, huge)], { last: 2 }, NOW);
    assert.match(text(m), /`#41` 02:20 UTC \*proposal.approved\* <@U0DBA0001> — approved p-7f3a/);
    assert.deepEqual(blockKitViolations(m), []);
    assert.match(text(auditMessage([], { incidentId: 'inc-9' })), /No audit records for incident inc-9/);
  });

  it('explain shows the verdict the policy would give now, with reasons and facts', () => {
    const m = explainMessage({ message: 'explained', verdict: blockedByBackup }, NOW);
    assert.match(text(m), /If asked now:_ :raised_hand: \*Blocked: restart pod databases\/postgres-0/);
    assert.match(text(m), /Window:\* postgres-nightly-backup until 02:45 UTC/);
    assert.deepEqual(blockKitViolations(m), []);
    assert.match(text(explainMessage({ message: 'no such pod' })), /no such pod/);
  });

  it('a refusal and an error say what happened, why and what next, without pinging anyone', () => {
    const refusal = resultMessage({
      ok: false,
      message: 'Only <@U0DBA0001> or <!subteam^S0ONCALL1> may approve. <!channel>',
    });
    assert.match(
      text(refusal),
      /:no_entry_sign: Only <@U0DBA0001> or <!subteam\^S0ONCALL1> may approve\. &lt;!channel&gt;/,
    );
    const error = errorMessage(
      'Could not approve p-7f3a.',
      new Error('store unavailable'),
      'Try again in a minute.',
      'req-1',
    );
    assert.match(text(error), /Could not approve p-7f3a.*Why:\* store unavailable.*Next:\* Try again/);
    assert.deepEqual(blockKitViolations(errorMessage(huge, new Error(huge), huge)), []);
  });

  it('a thread line is escaped and cut', () => {
    assert.deepEqual(blockKitViolations(threadLineMessage(huge)), []);
    assert.match(
      text(threadLineMessage('approved by <@U0DBA0001> <!everyone>')),
      /<@U0DBA0001> &lt;!everyone&gt;/,
    );
  });

  it('the weekly digest counts outcomes, blocks by reason, dry-run rules and noisy alerts', () => {
    const m = weeklyDigestMessage({
      from: '2024-02-26T00:00:00Z',
      to: '2024-03-04T00:00:00Z',
      executed: 5,
      approved: 4,
      rejected: 1,
      reverted: 1,
      expired: 2,
      blockedByReason: [
        { rule: 'window:postgres-nightly-backup', count: 7 },
        { rule: 'freeze', count: 2 },
      ],
      dryRun: [{ rule: 'crashloop-rollback', wouldHave: 'rolled back shop/web', count: 3 }],
      noisiestAlerts: Array.from({ length: 50 }, (_, i) => ({ alert: `Alert${i}`, count: i })),
    });
    assert.match(text(m), /Executed:\* 5.*Approved:\* 4.*Rejected:\* 1.*Reverted:\* 1/);
    assert.match(text(m), /7 × `window:postgres-nightly-backup`\\n• 2 × `freeze`/);
    assert.match(text(m), /3 × rule \*crashloop-rollback\* would have rolled back shop\/web/);
    assert.match(text(m), /49 × Alert49/);
    assert.doesNotMatch(text(m), /Alert39\b/, 'only the ten noisiest');
    assert.deepEqual(blockKitViolations(m), []);
  });
});
