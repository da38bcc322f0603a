// Issue 10, item 7: prompt tokens per incident, from the API's usage, with the default budget. The fake
// server counts usage as a tokenizer roughly would (four characters a token, the whole request body); the
// schema-driven model reads twice and then submits, as a brief real investigation would. The figures are
// printed as test diagnostics; the median must be at most 6,000 (a size bound: the fake's counts are
// deterministic), and each investigation within the default budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert, Facts, Incident } from '../../src/domain/index.ts';
import { createOrienter, DEFAULT_BUDGETS, loadPrompts, type OutputMode } from '../../src/orient/index.ts';
import { startFakeOpenAI } from '../fakes/openai-server.ts';
import { fixtureReadTools } from '../fixtures/orient/read-tools.ts';
import {
  API_PODS,
  API_PREVIOUS_LOGS,
  API_ROLLOUTS,
  crashloopAlert,
  crashloopFacts,
  crashloopIncident,
  memoryAlert,
  memoryFacts,
  memoryIncident,
  POSTGRES_CRONJOBS,
  POSTGRES_POD,
} from '../fixtures/orient/story.ts';
import { clock, modelPort } from './harness.ts';

const prompts = await loadPrompts();
const measured: number[] = [];

const scenarios: [string, Incident, Facts, Alert][] = [
  ['crash loop after a rollout (api)', crashloopIncident, crashloopFacts, crashloopAlert],
  ['the story: postgres memory in the backup window', memoryIncident, memoryFacts, memoryAlert],
];

describe('prompt tokens per incident with the default budget (schema-driven model)', () => {
  for (const output of ['strict-tools', 'json-schema'] as const satisfies readonly OutputMode[]) {
    for (const [name, incident, facts, alert] of scenarios) {
      it(`${name}, ${output}: prompt tokens as the API reported them, within the default budget`, async (t) => {
        const fake = await startFakeOpenAI({ mode: 'schema' });
        t.after(() => fake.close());
        const { tools } = fixtureReadTools({
          pods: API_PODS,
          logs: { 'api-7d9f8b6c5-x2x9k': API_PREVIOUS_LOGS },
          rollouts: API_ROLLOUTS,
          cronjobs: POSTGRES_CRONJOBS,
          podDetails: { 'postgres-0': POSTGRES_POD },
        });
        const orienter = createOrienter({ model: { ...modelPort(fake), output }, tools, prompts, clock });
        const r = await orienter.orient({ incident, facts, alerts: [alert] });
        assert.equal(r.origin.type, 'model');
        assert.equal(r.spend.usageReported, true);
        const total = fake.promptTokens.reduce((a, b) => a + b, 0);
        assert.equal(r.spend.promptTokens, total);
        t.diagnostic(
          `${name}, ${output}: ${fake.promptTokens.join(' + ')} = ${total} prompt tokens, ${r.spend.modelCalls} calls, ${r.spend.toolCalls} tool calls`,
        );
        assert.ok(total <= DEFAULT_BUDGETS.promptTokensPerIncident, `${total} prompt tokens`);
        measured.push(total);
      });
    }
  }

  it('reports the median', (t) => {
    const sorted = [...measured].sort((a, b) => a - b);
    const median = ((sorted[(sorted.length - 1) >> 1] ?? 0) + (sorted[sorted.length >> 1] ?? 0)) / 2;
    t.diagnostic(`median over ${sorted.length} investigations: ${median} prompt tokens (at most 6000)`);
    assert.equal(sorted.length, 4);
    assert.ok(median <= 6_000, `median ${median} prompt tokens per incident; the target is 6,000`);
  });
});
