import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PolicyInput, policySchema, type SwitchState } from '../../src/domain/index.ts';
import { checkSwitch, describeSwitches, type SwitchMove, switchMove } from '../../src/govern/switch-check.ts';

const classes: PolicyInput['namespaceClasses'] = [
  {
    name: 'production-critical',
    critical: true,
    namespaces: ['databases'],
    approvers: { users: ['U0DBA0001'], groups: ['S0DBAS001'] },
  },
  { name: 'staging', namespaces: ['staging'], approvers: { users: ['U0SRE0002'] } },
];
const withOperators = policySchema.parse({
  namespaceClasses: classes,
  defaultNamespaceClass: 'staging',
  operators: { users: ['U0OPS0001'], groups: ['S0OPS0001'], security: { groups: ['S0SEC0001'] } },
});
const withoutOperators = policySchema.parse({ namespaceClasses: classes, defaultNamespaceClass: 'staging' });
const nobodyNamed = policySchema.parse({
  namespaceClasses: [{ name: 'standard' }],
  defaultNamespaceClass: 'standard',
});

const frozenBy = (by: string): SwitchState => ({ active: true, by, since: '2026-03-14T02:00:00Z' });
const off: SwitchState = { active: false };

describe('checkSwitch: who may flip the switches', () => {
  // [policy, move, user, user's groups, freeze in force, allowed?, what a refusal must say]
  const cases: [string, typeof withOperators, SwitchMove, string, string[], SwitchState, boolean, RegExp?][] =
    [
      ['an operator pauses', withOperators, 'pause', 'U0OPS0001', [], off, true],
      [
        'an approver of any class pauses (stopping is cheap)',
        withOperators,
        'pause',
        'U0SRE0002',
        [],
        off,
        true,
      ],
      ['an operator by group declares a freeze', withOperators, 'freeze', 'U0X', ['S0OPS0001'], off, true],
      ['security declares a freeze', withOperators, 'freeze', 'U0X', ['S0SEC0001'], off, true],
      [
        'a stranger may not pause',
        withOperators,
        'pause',
        'U0STRANGER',
        [],
        off,
        false,
        /<@U0OPS0001> \(operator\)/,
      ],
      [
        'a stranger may not freeze',
        withOperators,
        'freeze',
        'U0STRANGER',
        [],
        off,
        false,
        /declare a security freeze/,
      ],
      ['an operator resumes', withOperators, 'resume', 'U0OPS0001', [], off, true],
      [
        'an approver may not resume',
        withOperators,
        'resume',
        'U0SRE0002',
        [],
        off,
        false,
        /only <@U0OPS0001> \(operator\), <!subteam\^S0OPS0001> \(operator\) may resume execution/,
      ],
      [
        'a critical approver may not resume once operators exist',
        withOperators,
        'resume',
        'U0DBA0001',
        [],
        off,
        false,
        /may resume/,
      ],
      [
        'the declarer lifts their freeze',
        withOperators,
        'lift',
        'U0SRE0002',
        [],
        frozenBy('U0SRE0002'),
        true,
      ],
      [
        "security lifts anyone's freeze",
        withOperators,
        'lift',
        'U0X',
        ['S0SEC0001'],
        frozenBy('U0SRE0002'),
        true,
      ],
      [
        'an operator who did not declare it may not lift it',
        withOperators,
        'lift',
        'U0OPS0001',
        [],
        frozenBy('U0SRE0002'),
        false,
        /<@U0SRE0002> \(declared it\), <!subteam\^S0SEC0001> \(security\) may lift the security freeze/,
      ],
      [
        'without operators, a critical approver resumes',
        withoutOperators,
        'resume',
        'U0DBA0001',
        [],
        off,
        true,
      ],
      [
        'without operators, a critical approver by group lifts',
        withoutOperators,
        'lift',
        'U0X',
        ['S0DBAS001'],
        frozenBy('U0SRE0002'),
        true,
      ],
      [
        'without operators, a staging approver may not resume',
        withoutOperators,
        'resume',
        'U0SRE0002',
        [],
        off,
        false,
        /<@U0DBA0001> \(approver of production-critical\)/,
      ],
      [
        'without operators, the declarer alone may not lift',
        withoutOperators,
        'lift',
        'U0SRE0002',
        [],
        frozenBy('U0SRE0002'),
        false,
        /approver of production-critical/,
      ],
      ['without operators, an approver still pauses', withoutOperators, 'pause', 'U0SRE0002', [], off, true],
      ['with nobody named at all, anyone may stop', nobodyNamed, 'freeze', 'U0ANY', [], off, true],
      [
        'with nobody named at all, nobody may resume',
        nobodyNamed,
        'resume',
        'U0ANY',
        [],
        off,
        false,
        /nobody may resume execution: .*add `operators/,
      ],
      [
        'with nobody named at all, nobody may lift',
        nobodyNamed,
        'lift',
        'U0ANY',
        [],
        frozenBy('U0ANY'),
        false,
        /nobody may lift/,
      ],
    ];
  for (const [title, policy, move, user, groups, freeze, ok, why] of cases) {
    it(title, () => {
      const result = checkSwitch(policy, move, user, groups, freeze);
      assert.equal(result.ok, ok, JSON.stringify(result));
      if (!result.ok && why) assert.match(result.why, why);
    });
  }

  it('maps each command to its move', () => {
    assert.deepEqual(
      [
        switchMove('pause', true),
        switchMove('pause', false),
        switchMove('freeze', true),
        switchMove('freeze', false),
      ],
      ['pause', 'resume', 'freeze', 'lift'],
    );
  });
});

describe('describeSwitches: what check-config says', () => {
  it('warns when no operators are configured, and names who may resume instead', () => {
    const text = describeSwitches(withoutOperators).join('\n');
    assert.match(text, /warning: no operators are configured/);
    assert.match(text, /resume\s+<@U0DBA0001> \(approver of production-critical\)/);
  });

  it('does not warn when operators are configured', () => {
    const text = describeSwitches(withOperators).join('\n');
    assert.doesNotMatch(text, /warning/);
    assert.match(text, /lift a freeze\s+whoever declared it, and <!subteam\^S0SEC0001> \(security\)/);
  });

  it('refuses an operators section with a malformed user id', () => {
    const parsed = policySchema.safeParse({
      namespaceClasses: classes,
      defaultNamespaceClass: 'staging',
      operators: { users: ['alice'] },
    });
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /Slack user id/);
  });
});
