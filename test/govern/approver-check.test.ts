import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Origin, Verdict } from '../../src/domain/index.ts';
import { checkApprover } from '../../src/govern/approver-check.ts';

function verdict(
  disposition: Verdict['disposition'],
  approvers?: Partial<NonNullable<Verdict['approvers']>>,
): Verdict {
  return {
    disposition,
    dryRun: false,
    headline: `${disposition}: scale`,
    reasons: [],
    rateBudget: [],
    namespaceClass: 'production-critical',
    decidedAt: '2026-03-14T10:00:00.000Z',
    ...(approvers
      ? {
          approvers: {
            users: [],
            groups: [],
            twoPerson: false,
            namespaceClass: 'production-critical',
            ...approvers,
          },
        }
      : {}),
  };
}
const rule: Origin = { type: 'rule', rule: 'r' };
const askedBy = (user: string): Origin => ({ type: 'manual', user });

describe('checkApprover', () => {
  const cases: [string, Verdict, Origin, string, string[], boolean, RegExp?][] = [
    ['a listed user may approve', verdict('approval', { users: ['U1'] }), rule, 'U1', [], true],
    [
      'a member of a listed group may approve',
      verdict('approval', { groups: ['S1'] }),
      rule,
      'U9',
      ['S1'],
      true,
    ],
    [
      'anyone else may not, and is told who may',
      verdict('approval', { users: ['U1'], groups: ['S1'] }),
      rule,
      'U9',
      ['S2'],
      false,
      /only <@U1>, <!subteam\^S1> may approve/,
    ],
    [
      'a suggestion with no approvers named may be approved by anyone',
      verdict('suggest', {}),
      rule,
      'U9',
      [],
      true,
    ],
    [
      'an approval with no approvers named may be approved by nobody',
      verdict('approval', {}),
      rule,
      'U1',
      [],
      false,
      /none is configured/,
    ],
    [
      'the requester may not approve under the two-person rule',
      verdict('approval', { users: ['U1'], twoPerson: true }),
      askedBy('U1'),
      'U1',
      [],
      false,
      /a second person must approve/,
    ],
    [
      'a second person may',
      verdict('approval', { users: ['U1', 'U2'], twoPerson: true }),
      askedBy('U1'),
      'U2',
      [],
      true,
    ],
    [
      'a forbidden verdict names no approvers: nobody may approve it',
      verdict('forbidden'),
      rule,
      'U1',
      [],
      false,
      /cannot be approved/,
    ],
  ];
  for (const [name, v, origin, user, groups, ok, why] of cases) {
    it(name, () => {
      const result = checkApprover(v, origin, user, groups);
      assert.equal(result.ok, ok);
      if (!result.ok && why) assert.match(result.why, why);
    });
  }

  it('lets the requester withdraw (reject) their own request', () => {
    const v = verdict('approval', { users: ['U1'], twoPerson: true });
    assert.equal(checkApprover(v, askedBy('U1'), 'U1', [], { twoPerson: false }).ok, true);
  });
});
