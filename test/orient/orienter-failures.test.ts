import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOrienter, loadPrompts, type OrientResult } from '../../src/orient/index.ts';
import { type FakeOpenAI, type FakeOpenAIOptions, startFakeOpenAI } from '../fakes/openai-server.ts';
import { type ClusterFixture, fixtureReadTools } from '../fixtures/orient/read-tools.ts';
import {
  API_PODS,
  API_PREVIOUS_LOGS,
  crashloopAlert,
  crashloopFacts,
  crashloopIncident,
} from '../fixtures/orient/story.ts';
import { call, clock, modelPort, submit } from './harness.ts';

const prompts = await loadPrompts();
const findings = { summary: 'api crashes on a missing config key.' };

async function investigate(
  t: { after(fn: () => Promise<void>): void },
  fakeOptions: FakeOpenAIOptions,
  port: Parameters<typeof modelPort>[1] = {},
  fixture: ClusterFixture = { pods: API_PODS, logs: { 'api-7d9f8b6c5-x2x9k': API_PREVIOUS_LOGS } },
): Promise<{ r: OrientResult; fake: FakeOpenAI; toolRuns: number }> {
  const fake = await startFakeOpenAI(fakeOptions);
  t.after(() => fake.close());
  const { tools, calls } = fixtureReadTools(fixture);
  const orienter = createOrienter({ model: modelPort(fake, port), tools, prompts, clock });
  const r = await orienter.orient({
    incident: crashloopIncident,
    facts: crashloopFacts,
    alerts: [crashloopAlert],
  });
  return { r, fake, toolRuns: calls.length };
}

const toolAnswer = (fake: FakeOpenAI, request: number, id: string): string =>
  String(fake.requests[request]?.body.messages.find((m) => m.tool_call_id === id)?.content);

const assertFellBack = (r: OrientResult, reason: RegExp): void => {
  assert.equal(r.origin.type, 'deterministic');
  if (r.origin.type === 'deterministic') assert.match(r.origin.fallbackReason, reason);
  assert.equal(r.origin.type === 'deterministic' && r.origin.rule, 'crash-after-rollout');
  assert.equal(r.outcome.type === 'proposal' && r.outcome.action.kind, 'rollback-deployment');
  assert.match(r.summary, /^Belay used its rules instead of the model: /);
};

describe('tool calls the model gets wrong go back to it as data', () => {
  const cases: [string, string, string, RegExp][] = [
    ['malformed JSON', 'pod_logs', '{"namespace": "staging", "pod": ', /not valid JSON/],
    [
      'arguments that miss a field',
      'rollout_history',
      '{"namespace":"staging"}',
      /invalid arguments for rollout_history: name/,
    ],
    [
      'an unknown tool',
      'delete_namespace',
      '{"namespace":"production"}',
      /there is no tool \\?"delete_namespace\\?"/,
    ],
    [
      'another namespace',
      'pods_list',
      '{"namespace":"production"}',
      /reads only namespace staging, not production/,
    ],
  ];
  for (const [name, tool, args, reason] of cases) {
    it(`${name}: refused, recorded, not run, and the investigation goes on`, async (t) => {
      const { r, fake, toolRuns } = await investigate(t, {
        script: [
          { type: 'tool_calls', calls: [call(tool, args, 'c1')] },
          { type: 'tool_calls', calls: [submit(findings)] },
        ],
      });
      assert.equal(toolRuns, 0);
      assert.match(toolAnswer(fake, 1, 'c1'), reason);
      assert.equal(r.rejected[0]?.what, 'tool-call');
      assert.match(r.rejected[0]?.reason ?? '', reason);
      assert.equal(r.origin.type, 'model');
      assert.equal(r.spend.toolCalls, 1);
    });
  }

  it('a tool that fails: the error is data for the model, not the end of the investigation', async (t) => {
    const { r, fake } = await investigate(
      t,
      {
        script: [
          { type: 'tool_calls', calls: [call('events_list', { namespace: 'staging' }, 'c1')] },
          { type: 'tool_calls', calls: [submit(findings)] },
        ],
      },
      {},
      { failing: 'events_list' },
    );
    assert.match(toolAnswer(fake, 1, 'c1'), /events_list failed: .*503 Service Unavailable/);
    assert.equal(r.origin.type, 'model');
  });

  it('evidence naming a tool call that never happened is dropped and recorded', async (t) => {
    const { r } = await investigate(t, {
      script: [
        {
          type: 'tool_calls',
          calls: [
            submit({
              ...findings,
              suspectedCause: { text: 'x', evidence: [{ toolCallId: 'call_made_up', excerpt: 'y' }] },
            }),
          ],
        },
      ],
    });
    assert.deepEqual(r.suspectedCause?.evidence, []);
    assert.equal(r.rejected[0]?.what, 'evidence');
  });
});

describe('budgets', () => {
  it('an endless tool-call loop stops at the tool budget, then the rules take over', async (t) => {
    const { r, fake, toolRuns } = await investigate(
      t,
      { repeat: { type: 'tool_calls', calls: [call('pods_list', { namespace: 'staging' })] } },
      { budgets: { promptTokensPerIncident: 200_000 } },
    );
    assert.equal(toolRuns, 8);
    assert.equal(r.spend.toolCalls, 8);
    assert.equal(fake.requests.length, 10, '8 tool calls, then two refused attempts to go on');
    const forced = fake.requests[8]?.body;
    assert.deepEqual(forced?.tool_choice, { type: 'function', function: { name: 'submit_findings' } });
    assert.deepEqual(
      forced?.tools?.map((x) => x.function.name),
      ['submit_findings'],
    );
    assertFellBack(r, /kept calling tools after its tool budget was spent/);
  });

  it('an endless loop under the default 12,000 prompt tokens stops before the budget is crossed', async (t) => {
    const { r, fake } = await investigate(t, {
      repeat: {
        type: 'tool_calls',
        calls: [call('pod_logs', { namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k' })],
      },
    });
    const sent = fake.promptTokens.reduce((a, b) => a + b, 0);
    assert.ok(sent <= 12_000, `sent ${sent} prompt tokens`);
    assert.equal(r.spend.promptTokens, sent);
    assert.ok(r.spend.toolCalls < 8, 'the token budget, not the tool budget, stopped it');
    assertFellBack(r, /token budget of this incident is spent/);
  });

  it('a nearly spent token budget gets one last forced call for the findings', async (t) => {
    const { r, fake } = await investigate(
      t,
      {
        script: [
          { type: 'tool_calls', calls: [call('pods_list', { namespace: 'staging' }, 'c1')] },
          { type: 'tool_calls', calls: [submit(findings)] },
        ],
      },
      // The first call fits; a second with every tool would not, one with submit_findings alone does.
      { budgets: { promptTokensPerIncident: 2_500 } },
    );
    assert.equal(r.origin.type, 'model');
    assert.deepEqual(fake.requests[1]?.body.tool_choice, {
      type: 'function',
      function: { name: 'submit_findings' },
    });
    assert.ok(r.spend.promptTokens <= 2_500);
  });

  it('huge tool output is cut to the per-tool cap with a note of what was cut', async (t) => {
    const lines = Array.from(
      { length: 5_000 },
      (_, i) => `2026-11-27T02:15:00Z DEBUG ${'x'.repeat(80)} line ${i}`,
    );
    const { r, fake } = await investigate(
      t,
      {
        script: [
          {
            type: 'tool_calls',
            calls: [
              call('pod_logs', { namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k', tailLines: 500 }, 'c1'),
            ],
          },
          { type: 'tool_calls', calls: [submit(findings)] },
        ],
      },
      {},
      { logs: { 'api-7d9f8b6c5-x2x9k': lines } },
    );
    const answer = toolAnswer(fake, 1, 'c1');
    assert.ok(answer.length < 6_000 + 200, `answer is ${answer.length} characters`);
    assert.match(answer, /\[cut by Belay: showing the first 6000 of \d+ characters of pod_logs/);
    assert.equal(r.spend.truncatedOutputs, 1);
  });

  it('the daily token budget, once spent, means no model call at all and says so', async (t) => {
    const { r, fake } = await investigate(t, { script: [] }, { dailyUsed: 500_000 });
    assert.equal(fake.requests.length, 0);
    assertFellBack(
      r,
      /daily token budget of the bot is spent \(500000 tokens a day; it resets at 00:00 UTC\)/,
    );
  });

  it('spend is still counted when a server reports no usage', async (t) => {
    const { r, fake } = await investigate(t, {
      omitUsage: true,
      script: [{ type: 'tool_calls', calls: [submit(findings)] }],
    });
    assert.equal(r.spend.usageReported, false);
    // Belay's own estimate of the whole request, schemas and all: within a few percent of the body sent.
    const sent = Math.ceil((fake.requests[0]?.raw.length ?? 0) / 4);
    assert.ok(
      sent > 500 && Math.abs(r.spend.promptTokens - sent) < sent * 0.05,
      `${r.spend.promptTokens} vs ${sent}`,
    );
  });
});

describe('model failures fall back to the rules', () => {
  it('500 after the SDK retries', async (t) => {
    const { r, fake } = await investigate(
      t,
      {
        repeat: {
          type: 'error',
          status: 500,
          message: 'The server had an error while processing your request.',
        },
      },
      { maxRetries: 1 },
    );
    assert.equal(fake.requests.length, 2);
    assertFellBack(r, /answered 500 after 2 attempts/);
  });

  it('429 with retry-after after the SDK retries', async (t) => {
    const { r, fake } = await investigate(
      t,
      {
        repeat: {
          type: 'error',
          status: 429,
          message: 'Rate limit reached for requests',
          headers: { 'retry-after-ms': '5' },
        },
      },
      { maxRetries: 2 },
    );
    assert.equal(fake.requests.length, 3);
    assertFellBack(r, /rate-limiting Belay \(429\) after 3 attempts/);
  });

  it('a single 429 is retried by the SDK and the investigation succeeds', async (t) => {
    const { r, fake } = await investigate(
      t,
      {
        script: [
          { type: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after-ms': '5' } },
          { type: 'tool_calls', calls: [submit(findings)] },
        ],
      },
      { maxRetries: 1 },
    );
    assert.equal(fake.requests.length, 2);
    assert.equal(r.origin.type, 'model');
  });

  it('a request that times out', async (t) => {
    const { r } = await investigate(
      t,
      { repeat: { type: 'slow', ms: 5_000, answer: { type: 'message', content: 'late' } } },
      { requestTimeoutMs: 100, maxRetries: 0 },
    );
    assertFellBack(r, /did not answer within 100ms after 1 attempts/);
  });

  it('the wall-clock limit of the whole investigation', async (t) => {
    const { r } = await investigate(
      t,
      { repeat: { type: 'slow', ms: 5_000, answer: { type: 'message', content: 'late' } } },
      { requestTimeoutMs: 10_000, budgets: { wallClockPerIncident: 150 } },
    );
    assertFellBack(r, /ran out of time \(150ms per incident\)/);
  });

  it('a wrong API key', async (t) => {
    const fake = await startFakeOpenAI({ apiKey: 'the-right-key' });
    t.after(() => fake.close());
    const orienter = createOrienter({ model: modelPort(fake), tools: [], prompts, clock });
    const r = await orienter.orient({
      incident: crashloopIncident,
      facts: crashloopFacts,
      alerts: [crashloopAlert],
    });
    assertFellBack(r, /refused Belay's API key \(401\); check OPENAI_API_KEY/);
  });

  it('invalid output twice', async (t) => {
    const { r, fake } = await investigate(t, {
      repeat: { type: 'message', content: 'The pod looks fine to me.' },
    });
    assert.equal(fake.requests.length, 2);
    assert.match(
      String(fake.requests[1]?.body.messages.at(-1)?.content),
      /not a valid answer .*Call submit_findings/,
    );
    assertFellBack(r, /twice gave no valid findings/);
    assert.equal(r.rejected.filter((x) => x.what === 'output').length, 2);
  });

  it('findings that do not validate get one more chance', async (t) => {
    const { r, fake } = await investigate(t, {
      script: [
        { type: 'tool_calls', calls: [call('submit_findings', { summary: '' }, 's1')] },
        { type: 'tool_calls', calls: [submit(findings)] },
      ],
    });
    assert.match(toolAnswer(fake, 1, 's1'), /findings rejected: summary/);
    assert.equal(r.origin.type, 'model');
    assert.equal(r.summary, findings.summary);
  });

  it('plain JSON findings from a server without tool_choice support are accepted', async (t) => {
    const body = JSON.stringify({
      ...findings,
      suspectedCause: null,
      proposal: null,
      needsHuman: 'look at config',
      humanAction: null,
      untrustedQuotes: [],
    });
    const { r } = await investigate(t, {
      script: [{ type: 'message', content: `\`\`\`json\n${body}\n\`\`\`` }],
    });
    assert.equal(r.origin.type, 'model');
    assert.deepEqual(r.outcome, { type: 'needs-human', why: 'look at config' });
  });
});
