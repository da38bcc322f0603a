import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unquoteGo } from '../../../src/observe/intake/go-quoted.ts';

describe("Go's %q literals", () => {
  it('reads what strconv.Quote writes', () => {
    assert.equal(unquoteGo('plain'), 'plain');
    assert.equal(unquoteGo('a\\"b\\\\c'), 'a"b\\c');
    assert.equal(unquoteGo('\\a\\b\\f\\n\\r\\t\\v'), '\x07\b\f\n\r\t\v');
    assert.equal(unquoteGo('\\u00e9\\U0001F4A5'), 'é💥');
    assert.equal(unquoteGo('\\xc3\\xa9'), 'é', 'byte escapes are UTF-8 bytes');
  });
  it('refuses broken escapes', () => {
    for (const bad of ['\\', '\\q', '\\x4', '\\u12', '\\U11000000'])
      assert.equal(unquoteGo(bad), undefined, bad);
  });
});
