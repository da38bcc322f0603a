import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anchoredRe2, parseMatcher } from '../src/domain/index.ts';

describe('anchoredRe2: a matcher value read as Alertmanager reads it', () => {
  const matches: [string, string, boolean][] = [
    ['postgres-.*', 'postgres-0', true],
    ['postgres', 'postgres-0', false], // fully anchored
    ['a|b', 'xb', false], // the alternation is inside the anchors
    ['(?i)POSTGRES-0', 'postgres-0', true],
    ['[[:digit:]]+', '123', true],
    ['[^[:alpha:]]', '1', true],
    ['(?P<n>web)-.*', 'web-1', true],
    ['web\\z', 'web', true],
    ['.*', 'multi\nline', false], // `.` does not match a newline without (?s), in RE2 either
    ['(?s).*', 'multi\nline', true],
  ];
  for (const [value, input, expected] of matches) {
    it(`${JSON.stringify(value)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(input)}`, () => {
      const regex = anchoredRe2(value);
      assert.ok(regex instanceof RegExp, String(regex));
      assert.equal(regex.test(input), expected);
    });
  }

  const refused: [string, RegExp][] = [
    ['(?=x)x', /look-around/],
    ['(a)\\1', /back-references/],
    ['\\pL+', /not supported/],
    ['(?U)a+', /not supported/],
    ['a(?i)b', /only supported at the start/],
    ['(', /./],
  ];
  for (const [value, why] of refused) {
    it(`refuses ${JSON.stringify(value)}, which RE2 and JavaScript would read differently`, () => {
      const regex = anchoredRe2(value);
      assert.equal(typeof regex, 'string');
      assert.match(regex as string, why);
    });
  }

  it('a policy matcher with a JavaScript-only regex is a config error, not a silent difference', () => {
    assert.match(String(parseMatcher('pod=~"(?!db).*"')), /not a valid regular expression \(look-around/);
    assert.equal(typeof parseMatcher('pod=~"(?i)web-.*"'), 'object');
  });
});
