import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DryRunReview } from '../../src/domain/index.ts';
import {
  REVIEW_ACTION_IDS,
  reviewMessage,
  statusMessage,
  weeklyDigestMessage,
} from '../../src/slack/blocks/index.ts';
import { parseRemediateCommand } from '../../src/slack/remediate-command.ts';
import { blockKitViolations } from '../support/block-kit-limits.ts';

describe('/remediate promote: parsing', () => {
  const refused: [string, RegExp][] = [
    ['promote', /Say `promote <rule> suggest\|approval\|auto`/],
    ['promote crashloop-restart', /Say `promote <rule> suggest\|approval\|auto`/],
    ['promote crashloop-restart auto now', /Say `promote <rule> suggest\|approval\|auto`/],
    ['promote Crash_Loop auto', /"Crash_Loop" is not a rule name/],
    [
      'promote crashloop-restart dry-run',
      /"dry-run" is not a mode a rule can be promoted to.*only in the policy file/,
    ],
    ['promote crashloop-restart yolo', /"yolo" is not a mode/],
  ];
  for (const [text, message] of refused) {
    it(`refuses "${text}" with what to type`, () => {
      const parsed = parseRemediateCommand(text);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.message, message);
    });
  }

  it('reads the rule and the mode', () => {
    assert.deepEqual(parseRemediateCommand('promote crashloop-restart AUTO'), {
      ok: true,
      command: { type: 'promote', rule: 'crashloop-restart', mode: 'auto' },
    });
  });
});

describe('the dry-run review message', () => {
  const review: DryRunReview = {
    id: 'r-123',
    rule: 'crashloop-restart',
    incidentId: 'i-1',
    wouldHave: 'Dry run — Suggested: restart pod staging/api-0 — Rule crashloop-restart applies <!channel>',
    at: '2026-03-10T02:20:00.000Z',
    reviewers: { users: [], groups: [] },
  };

  it('asks "would you have approved this?" with 👍 / 👎 buttons that carry only the review id', () => {
    const message = reviewMessage(review);
    assert.match(message.text, /would you have approved this\?/);
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: { action_id: string; value: string }[];
    };
    assert.deepEqual(
      actions.elements.map((e) => [e.action_id, e.value]),
      [
        [REVIEW_ACTION_IDS.approve, 'r-123'],
        [REVIEW_ACTION_IDS.disapprove, 'r-123'],
      ],
    );
    assert.doesNotMatch(JSON.stringify(message.blocks), /<!channel>/, 'text from the verdict is escaped');
    assert.deepEqual(blockKitViolations(message), []);
  });
});

describe('the rule records in /remediate status and the weekly digest', () => {
  it("status lists the rules whose mode Belay's state overrides, with who and why", () => {
    const message = statusMessage(
      {
        openIncidents: [],
        pendingProposals: [],
        freeze: { active: false },
        pause: { active: false },
        nextWindows: [],
        ruleModes: [
          {
            rule: 'scale-on-queue-backlog',
            mode: 'suggest',
            previous: 'auto',
            change: 'demoted',
            by: { type: 'bot', id: 'belay' },
            at: '2026-03-10T02:20:00.000Z',
            why: 'its automatic action failed verification',
          },
        ],
      },
      new Date('2026-03-10T03:00:00Z'),
    );
    assert.match(
      JSON.stringify(message.blocks),
      /rule scale-on-queue-backlog: suggest \(demoted from auto by Belay at 02:20 UTC: its automatic action failed verification\)/,
    );
  });

  it('the digest counts fixed, did not fix and postponed per rule, and says nothing when none was measured', () => {
    const digest = {
      from: '2026-03-09T00:00:00.000Z',
      to: '2026-03-16T00:00:00.000Z',
      executed: 3,
      approved: 1,
      rejected: 0,
      reverted: 0,
      expired: 0,
      blockedByReason: [],
      dryRun: [],
      noisiestAlerts: [],
    };
    const with_ = weeklyDigestMessage({
      ...digest,
      outcomesByRule: [{ rule: 'scale-on-queue-backlog', fixed: 2, notFixed: 0, postponed: 1 }],
    });
    assert.match(
      JSON.stringify(with_.blocks),
      /rule \*scale-on-queue-backlog\*: 2 fixed, 0 did not fix, 1 postponed/,
    );
    assert.doesNotMatch(JSON.stringify(weeklyDigestMessage(digest).blocks), /Did what ran fix it/);
  });
});
