import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../../src/config/schema.ts';
import { llmApiKeyFromEnv, llmSectionSchema } from '../../src/config/sections/llm.ts';

describe('llm config section', () => {
  it('fills the documented defaults', () => {
    const llm = llmSectionSchema.parse({ model: 'gpt-4.1-mini' });
    assert.equal(llm.baseURL, 'https://api.openai.com/v1');
    assert.equal(llm.requestTimeout, 30_000);
    assert.equal(llm.maxRetries, 2);
    assert.deepEqual(llm.budgets, {
      toolCallsPerIncident: 8,
      promptTokensPerIncident: 12_000,
      wallClockPerIncident: 90_000,
      toolOutputChars: 6_000,
      dailyTokens: 500_000,
    });
  });

  it('reads durations as an engineer writes them', () => {
    const llm = llmSectionSchema.parse({
      baseURL: 'http://ollama.monitoring.svc:11434/v1/',
      model: 'qwen2.5:14b',
      requestTimeout: '2m',
      budgets: { wallClockPerIncident: '5m' },
    });
    assert.equal(llm.requestTimeout, 120_000);
    assert.equal(llm.budgets.wallClockPerIncident, 300_000);
  });

  const bad: [string, unknown, RegExp][] = [
    ['no model', {}, /model/],
    ['a key in the file', { model: 'm', apiKey: 'sk-123' }, /apiKey/],
    ['a base URL that is not http(s)', { model: 'm', baseURL: 'file:///etc/passwd' }, /baseURL/],
    ['a duration that is not one', { model: 'm', requestTimeout: '30 seconds' }, /not a duration/],
    [
      'a tiny token budget',
      { model: 'm', budgets: { promptTokensPerIncident: 10 } },
      /promptTokensPerIncident/,
    ],
  ];
  for (const [name, input, message] of bad) {
    it(`refuses ${name}`, () => {
      const r = llmSectionSchema.safeParse(input);
      assert.equal(r.success, false);
      assert.match(JSON.stringify(r.error?.issues), message);
    });
  }

  it('is an optional key of belay.yaml: without it Belay uses its deterministic rules only', () => {
    assert.equal(configSchema.shape.llm.parse(undefined), undefined);
    assert.equal(configSchema.shape.llm.parse({ model: 'm' })?.model, 'm');
  });

  it('takes the API key from OPENAI_API_KEY only', () => {
    assert.equal(llmApiKeyFromEnv({ OPENAI_API_KEY: ' sk-test ' }), 'sk-test');
    assert.equal(llmApiKeyFromEnv({ OPENAI_API_KEY: '' }), undefined);
    assert.equal(llmApiKeyFromEnv({}), undefined);
  });
});
