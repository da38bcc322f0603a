import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createOrienter, loadPrompts } from '../../src/orient/index.ts';
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
import { call, clock, modelPort, submit } from './harness.ts';

const prompts = await loadPrompts();
const measured: string[] = [];
after(() => {
  // The prompt tokens each story incident cost against the fake server (chars / 4 of each request).
  for (const line of measured) console.log(`# ${line}`);
});

describe('the story, investigated by a model', () => {
  it('the crashlooping api in staging: reads pods, logs and history, proposes a rollback', async (t) => {
    const fake = await startFakeOpenAI({
      script: [
        {
          type: 'tool_calls',
          calls: [
            call('pods_list', { namespace: 'staging' }, 'call_pods'),
            call(
              'pod_logs',
              { namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k', previous: true },
              'call_logs',
            ),
          ],
        },
        {
          type: 'tool_calls',
          calls: [call('rollout_history', { namespace: 'staging', name: 'api' }, 'call_hist')],
        },
        {
          type: 'tool_calls',
          calls: [
            submit({
              summary: 'api-7d9f8b6c5-x2x9k crashes at start since release 1.14.0 was rolled out at 02:05.',
              suspectedCause: {
                text: 'Release 1.14.0 needs the config key feature.flags, which is missing.',
                evidence: [
                  { toolCallId: 'call_logs', excerpt: 'panic: config key "feature.flags" missing' },
                  { toolCallId: 'call_hist', excerpt: 'revision 14 api:1.14.0 at 02:05' },
                ],
              },
              proposal: {
                action: {
                  kind: 'rollback-deployment',
                  target: { namespace: 'staging', name: 'api' },
                  toRevision: null,
                },
                rationale: 'revision 13 ran for a week without crashing',
              },
            }),
          ],
        },
      ],
    });
    t.after(() => fake.close());
    const { tools, calls } = fixtureReadTools({
      pods: API_PODS,
      logs: { 'api-7d9f8b6c5-x2x9k': API_PREVIOUS_LOGS },
      rollouts: API_ROLLOUTS,
    });
    const orienter = createOrienter({ model: modelPort(fake), tools, prompts, clock });

    const r = await orienter.orient({
      incident: crashloopIncident,
      facts: crashloopFacts,
      alerts: [crashloopAlert],
    });

    assert.deepEqual(r.origin, { type: 'model', model: 'gpt-test', promptVersion: prompts.version });
    assert.deepEqual(r.outcome, {
      type: 'proposal',
      action: {
        kind: 'rollback-deployment',
        target: { cluster: 'homelab', namespace: 'staging', name: 'api' },
      },
      rationale: 'revision 13 ran for a week without crashing',
    });
    assert.deepEqual(
      r.suspectedCause?.evidence.map((e) => e.source),
      ['pod_logs#call_logs', 'rollout_history#call_hist'],
    );
    assert.deepEqual(
      calls.map((c) => [c.tool, c.cluster]),
      [
        ['pods_list', 'homelab'],
        ['pod_logs', 'homelab'],
        ['rollout_history', 'homelab'],
      ],
    );
    assert.deepEqual(r.rejected, []);
    // What the model saw: the tools as JSON Schema, then each tool result answering its call.
    const first = fake.requests[0]?.body;
    assert.equal(first?.model, 'gpt-test');
    // The first turn reads (evidence must name a tool call); submit_findings comes once something was read.
    assert.equal(first?.tool_choice, 'required');
    assert.equal(
      first?.tools?.some((x) => x.function.name === 'submit_findings'),
      false,
    );
    assert.equal(fake.requests[1]?.body.tool_choice, 'auto');
    assert.equal(fake.requests[1]?.body.tools?.at(-1)?.function.name, 'submit_findings');
    const logsTool = first?.tools?.find((x) => x.function.name === 'pod_logs');
    // The namespace and the incident's only pod admit one value: not asked (the runner fills them in).
    const logsParameters = logsTool?.function.parameters as
      | { required?: string[]; properties: Record<string, unknown> }
      | undefined;
    assert.equal(logsParameters?.required, undefined);
    assert.deepEqual(Object.keys(logsParameters?.properties ?? {}), ['container', 'previous', 'tailLines']);
    const second = fake.requests[1]?.body.messages ?? [];
    const logsAnswer = second.find((m) => m.role === 'tool' && m.tool_call_id === 'call_logs');
    assert.match(String(logsAnswer?.content), /feature\.flags/);
    assert.equal(fake.requests[0]?.authorization, 'Bearer test-key');
    // Spend comes from the API's usage and matches what the server counted.
    const total = fake.promptTokens.reduce((a, b) => a + b, 0);
    assert.equal(r.spend.promptTokens, total);
    assert.equal(r.spend.modelCalls, 3);
    assert.equal(r.spend.toolCalls, 3);
    assert.equal(r.spend.usageReported, true);
    assert.ok(total < 12_000, `the story fits the default budget (${total})`);
    measured.push(
      `crashlooping api: ${fake.promptTokens.join(' + ')} = ${total} prompt tokens, ${r.spend.completionTokens} completion`,
    );
  });

  it('postgres memory inside the backup window: finds the backup CronJob and proposes nothing', async (t) => {
    const fake = await startFakeOpenAI({
      script: [
        {
          type: 'tool_calls',
          calls: [
            call('cronjobs_list', { namespace: 'databases' }, 'call_cron'),
            call('pod_get', { namespace: 'databases', name: 'postgres-0' }, 'call_pod'),
          ],
        },
        {
          type: 'tool_calls',
          calls: [
            submit({
              summary:
                'postgres-0 is at 6.2GB because the nightly backup started at 02:00; this is expected.',
              suspectedCause: {
                text: 'The postgres-backup CronJob (0 2 * * *) is running and loads data into memory.',
                evidence: [{ toolCallId: 'call_cron', excerpt: 'postgres-backup 0 2 * * * active 1' }],
              },
              proposal: null,
              needsHuman: null,
            }),
          ],
        },
      ],
    });
    t.after(() => fake.close());
    const { tools } = fixtureReadTools({
      cronjobs: POSTGRES_CRONJOBS,
      podDetails: { 'postgres-0': POSTGRES_POD },
    });
    const orienter = createOrienter({ model: modelPort(fake), tools, prompts, clock });

    const r = await orienter.orient({ incident: memoryIncident, facts: memoryFacts, alerts: [memoryAlert] });

    assert.equal(r.origin.type, 'model');
    assert.equal(r.outcome.type, 'no-action');
    assert.equal(r.suspectedCause?.evidence[0]?.source, 'cronjobs_list#call_cron');
    // The facts told the model about the window before it asked anything.
    const context = fake.requests[0]?.body.messages[1]?.content ?? '';
    assert.match(context, /"name":"postgres-backup","kind":"backup"/);
    const total = fake.promptTokens.reduce((a, b) => a + b, 0);
    assert.equal(r.spend.promptTokens, total);
    measured.push(
      `postgres memory in backup window: ${fake.promptTokens.join(' + ')} = ${total} prompt tokens, ${r.spend.completionTokens} completion`,
    );
  });
});

describe('the story with no model configured', () => {
  it('gives the same incidents deterministic summaries and proposals', async () => {
    const { tools, calls } = fixtureReadTools({});
    const orienter = createOrienter({ tools, prompts, clock });
    const api = await orienter.orient({
      incident: crashloopIncident,
      facts: crashloopFacts,
      alerts: [crashloopAlert],
    });
    assert.deepEqual(api.origin, {
      type: 'deterministic',
      rule: 'crash-after-rollout',
      fallbackReason: 'no model is configured',
    });
    assert.equal(api.outcome.type === 'proposal' && api.outcome.action.kind, 'rollback-deployment');
    const pg = await orienter.orient({ incident: memoryIncident, facts: memoryFacts, alerts: [memoryAlert] });
    assert.equal(pg.origin.type === 'deterministic' && pg.origin.rule, 'memory-high-inside-window');
    assert.equal(pg.outcome.type, 'no-action');
    assert.equal(pg.spend.modelCalls, 0);
    assert.equal(calls.length, 0);
    assert.equal(pg.promptVersion, prompts.version);
  });
});
