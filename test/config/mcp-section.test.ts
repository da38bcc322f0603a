// The mcp section: who may connect, with which token variable, and the limits, each checked with a message
// that says what to write instead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mcpSectionSchema, mcpTokensFromEnv } from '../../src/config/sections/mcp.ts';

describe('mcp section', () => {
  it('defaults: HTTP off on 127.0.0.1:8093, 60 calls a minute and 5 proposals an hour per client', () => {
    const section = mcpSectionSchema.parse({ clients: [{ name: 'alice-laptop' }] });
    assert.deepEqual(section.http, { enabled: false, host: '127.0.0.1', port: 8093 });
    assert.deepEqual(section.limits, { callsPerMinute: 60, proposalsPerHour: 5 });
  });

  it('refuses no clients, a bad name, a name twice and a token variable that is not one', () => {
    const issues = (input: unknown) =>
      (mcpSectionSchema.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.match(issues({ clients: [] }).join(), /^clients: /);
    assert.match(
      issues({ clients: [{ name: 'Alice Laptop' }] }).join(),
      /must be a short name such as alice-laptop/,
    );
    assert.deepEqual(issues({ clients: [{ name: 'a' }, { name: 'a' }] }), [
      'clients.1.name: "a" is named twice',
    ]);
    assert.match(
      issues({ clients: [{ name: 'a', tokenEnv: 'my token' }] }).join(),
      /must be an environment variable name/,
    );
  });

  it('reads each client’s token from the variable it names, and lists every one unset', () => {
    const section = mcpSectionSchema.parse({
      clients: [{ name: 'a', tokenEnv: 'TOKEN_A' }, { name: 'b', tokenEnv: 'TOKEN_B' }, { name: 'local' }],
    });
    assert.deepEqual(mcpTokensFromEnv(section, { TOKEN_A: ' t-a ', TOKEN_B: 't-b' }), {
      ok: true,
      tokens: [
        { name: 'a', token: 't-a' },
        { name: 'b', token: 't-b' },
      ],
    });
    assert.deepEqual(mcpTokensFromEnv(section, { TOKEN_A: '' }), {
      ok: false,
      missing: ['TOKEN_A', 'TOKEN_B'],
    });
  });
});
