import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSpend, type Spend } from '../../src/orient/index.ts';

const spend: Spend = {
  modelCalls: 3,
  toolCalls: 3,
  promptTokens: 7_877,
  completionTokens: 326,
  usageReported: true,
  wallMs: 4_200,
  truncatedOutputs: 1,
};

describe('describeSpend', () => {
  it('says what a model investigation cost', () => {
    assert.equal(
      describeSpend(spend, {
        type: 'model',
        model: 'gpt-4.1-mini',
        promptVersion: 'sha256:0123456789abcdef',
      }),
      'gpt-4.1-mini · prompts sha256:0123456789abcdef · 8,203 tokens · 3 model calls · 3 tool calls · 1 output cut · 4s',
    );
  });

  it('marks estimated tokens and names the rule and the reason for a fallback', () => {
    const line = describeSpend(
      { ...spend, modelCalls: 1, toolCalls: 0, truncatedOutputs: 0, usageReported: false, wallMs: 30_000 },
      {
        type: 'deterministic',
        rule: 'crash-after-rollout',
        fallbackReason: 'the model endpoint answered 503 after 3 attempts',
      },
    );
    assert.equal(
      line,
      "Belay's rules (crash-after-rollout) · the model endpoint answered 503 after 3 attempts · 8,203 tokens (estimated) · 1 model call · 0 tool calls · 30s",
    );
  });

  it('has no cost part when no model was called', () => {
    const line = describeSpend(
      { ...spend, modelCalls: 0, toolCalls: 0 },
      { type: 'deterministic', rule: 'crashloop', fallbackReason: 'no model is configured' },
    );
    assert.equal(line, "Belay's rules (crashloop) · no model is configured");
  });
});
