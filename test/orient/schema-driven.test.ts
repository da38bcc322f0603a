// The orienter against the schema-driven fake: a model that answers nothing but instances of the schemas
// Belay declares. A usable proposal can only come from the schema itself, never from a hand-written script.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { checkCandidate, createOrienter, loadPrompts, type OutputMode } from '../../src/orient/index.ts';
import { startFakeOpenAI } from '../fakes/openai-server.ts';
import { strictProblem } from '../fakes/schema-answer.ts';
import { schemaInstance } from '../fakes/schema-instance.ts';
import { fixtureReadTools } from '../fixtures/orient/read-tools.ts';
import { API_PODS, crashloopAlert, crashloopFacts, crashloopIncident } from '../fixtures/orient/story.ts';
import { clock, modelPort } from './harness.ts';

const prompts = await loadPrompts();

/** The findings schema Belay sent before the catalog was the schema: the action a record of anything. */
const looseFindings = z
  .object({
    summary: z.string().min(1),
    proposal: z
      .object({ action: z.record(z.string(), z.unknown()), rationale: z.string().min(1) })
      .strict()
      .nullable(),
    needsHuman: z.string().nullable(),
  })
  .strict();

async function orientWith(t: { after(fn: () => Promise<void>): void }, output: OutputMode) {
  const fake = await startFakeOpenAI({ mode: 'schema' });
  t.after(() => fake.close());
  const { tools, calls } = fixtureReadTools({ pods: API_PODS });
  const orienter = createOrienter({ model: { ...modelPort(fake), output }, tools, prompts, clock });
  const r = await orienter.orient({
    incident: crashloopIncident,
    facts: crashloopFacts,
    alerts: [crashloopAlert],
  });
  return { r, fake, calls };
}

describe('the schema-driven fake model', () => {
  it('proves the loose schema yields nothing usable: an empty action, refused, and not even strict-mode valid', () => {
    const schema = z.toJSONSchema(looseFindings) as Record<string, unknown>;
    const answer = schemaInstance(schema) as { proposal: { action: unknown } };
    assert.deepEqual(answer.proposal.action, {});
    const check = checkCandidate(answer.proposal.action, crashloopIncident, crashloopFacts);
    assert.equal(check.ok, false);
    assert.match(
      !check.ok && check.outcome.type === 'needs-human' ? check.outcome.why : '',
      /The investigation suggested "", which Belay cannot do/,
    );
    assert.match(strictProblem(schema) ?? '', /additionalProperties/);
  });

  for (const output of ['strict-tools', 'json-schema'] as const) {
    it(`with ${output}, the catalog schema alone yields a usable proposal on the incident's own pod`, async (t) => {
      const { r, fake, calls } = await orientWith(t, output);
      assert.equal(r.origin.type, 'model', JSON.stringify(r.rejected));
      assert.deepEqual(r.outcome.type === 'proposal' && r.outcome.action, {
        kind: 'restart-pod',
        target: { cluster: 'homelab', namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k' },
      });
      assert.equal(
        checkCandidate(r.outcome.type === 'proposal' && r.outcome.action, crashloopIncident, crashloopFacts)
          .ok,
        true,
      );
      // It read before it answered: the read tools' schemas are narrowed to the incident (the namespace a
      // constant, the pod an enum), so schema-made arguments are this incident's and the tools really ran.
      const read = fake.requests.flatMap((q) => q.body.messages).filter((m) => m.role === 'tool');
      assert.ok(read.length >= 2);
      assert.ok(calls.length >= 2, `${calls.length} read tool calls ran`);
      for (const c of calls) assert.equal((c.input as { namespace?: string }).namespace, 'staging');
      assert.deepEqual(
        r.rejected.filter((x) => x.what === 'tool-call'),
        [],
      );
      const last = fake.requests.at(-1)?.body;
      if (output === 'strict-tools') {
        const submit = last?.tools?.find((x) => x.function.name === 'submit_findings');
        assert.equal(submit?.function.strict, true);
        assert.equal(strictProblem(submit?.function.parameters), undefined);
      } else {
        assert.equal(last?.response_format?.type, 'json_schema');
        assert.equal(last?.tools?.some((x) => x.function.name === 'submit_findings') ?? false, false);
      }
    });
  }

  it('with json-object (no schema the endpoint enforces), a bare {} gets one repair turn quoting the error, then the rules', async (t) => {
    const { r, fake } = await orientWith(t, 'json-object');
    assert.equal(r.origin.type, 'deterministic');
    assert.match(JSON.stringify(fake.requests[0]?.body.messages[0]), /valid against this JSON Schema/);
    const repairs = fake.requests
      .flatMap((q) => q.body.messages)
      .filter((m) => m.role === 'user' && /not a valid answer/.test(String(m.content)));
    assert.equal(repairs.length, 1);
    assert.match(String(repairs[0]?.content), /summary: Invalid input: expected string, received undefined/);
    assert.equal(r.rejected.filter((x) => x.what === 'output').length, 2);
  });
});
