// Issue 10, item 7: what every model call of an investigation resends is only what this incident can use.
// The read tools do not ask for the namespace (the runner fills in the incident's and refuses another),
// tools that cannot apply are not offered (and a call to one is refused like an unknown tool), and the
// findings schema does not ask for what admits one value. All through the real loop and a real HTTP fake.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert, Facts, Incident } from '../../src/domain/index.ts';
import { toolParameters } from '../../src/orient/findings.ts';
import { createOrienter, type FindingsScope, incidentTools, loadPrompts } from '../../src/orient/index.ts';
import { pinnedArguments } from '../../src/orient/narrow-tool-parameters.ts';
import { toFunctionTool } from '../../src/orient/tool-runner.ts';
import { startFakeOpenAI } from '../fakes/openai-server.ts';
import { fixtureReadTools } from '../fixtures/orient/read-tools.ts';
import {
  API_PODS,
  API_PREVIOUS_LOGS,
  crashloopAlert,
  crashloopFacts,
  crashloopIncident,
  memoryAlert,
  memoryFacts,
  memoryIncident,
} from '../fixtures/orient/story.ts';
import { call, clock, modelPort, submit } from './harness.ts';

const prompts = await loadPrompts();
const finding = { summary: 'read what was there' };

async function investigate(
  t: { after(fn: () => Promise<void>): void },
  script: Parameters<typeof startFakeOpenAI>[0],
  input: { incident: Incident; facts: Facts; alert: Alert } = {
    incident: crashloopIncident,
    facts: crashloopFacts,
    alert: crashloopAlert,
  },
) {
  const fake = await startFakeOpenAI(script);
  t.after(() => fake.close());
  const { tools, calls } = fixtureReadTools({
    pods: API_PODS,
    logs: { 'api-7d9f8b6c5-x2x9k': API_PREVIOUS_LOGS },
  });
  const orienter = createOrienter({ model: modelPort(fake), tools, prompts, clock });
  const r = await orienter.orient({ incident: input.incident, facts: input.facts, alerts: [input.alert] });
  return { r, fake, calls };
}

const offered = (fake: Awaited<ReturnType<typeof investigate>>['fake'], i = 0) =>
  (fake.requests[i]?.body.tools ?? []).map((x) => x.function);

describe('read tools sent with every call: only what this incident can use', () => {
  it('no tool asks for the namespace, nor for the only pod; a call without them reads the incident ones', async (t) => {
    const { r, fake, calls } = await investigate(t, {
      script: [
        { type: 'tool_calls', calls: [call('pods_list', {}, 'c1')] },
        { type: 'tool_calls', calls: [call('pod_logs', { previous: true }, 'c2')] },
        { type: 'tool_calls', calls: [submit(finding)] },
      ],
    });
    assert.equal(r.origin.type, 'model');
    for (const f of offered(fake)) {
      const { properties = {}, required = [] } = f.parameters as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      assert.equal(properties.namespace, undefined, f.name);
      assert.ok(!required.includes('namespace'), f.name);
    }
    const logs = offered(fake).find((f) => f.name === 'pod_logs')?.parameters as {
      properties: Record<string, unknown>;
    };
    assert.equal(logs.properties.pod, undefined);
    assert.deepEqual(
      calls.map((c) => [c.tool, c.input]),
      [
        ['pods_list', { namespace: 'staging' }],
        ['pod_logs', { namespace: 'staging', pod: 'api-7d9f8b6c5-x2x9k', previous: true, tailLines: 100 }],
      ],
    );
    assert.deepEqual(r.rejected, []);
  });

  it('several pods of the incident: the model names one of them (an enum), nothing is filled in for it', () => {
    const [logs] = fixtureReadTools({}).tools.filter((x) => x.name === 'pod_logs');
    assert.ok(logs);
    const scope = { namespace: 'shop', pods: ['web-1', 'web-2'] };
    const { parameters } = toFunctionTool(logs, scope).function;
    assert.deepEqual((parameters as { properties: Record<string, unknown> }).properties.pod, {
      enum: ['web-1', 'web-2'],
    });
    assert.deepEqual((parameters as { required: string[] }).required, ['pod']);
    assert.deepEqual(pinnedArguments('pod_logs', toolParameters(logs.input), scope), { namespace: 'shop' });
    assert.deepEqual(pinnedArguments('pod_logs', toolParameters(logs.input), { ...scope, pods: ['web-1'] }), {
      namespace: 'shop',
      pod: 'web-1',
    });
  });

  it('a namespace the model sends anyway must be the incident one: another is refused and not read', async (t) => {
    const { r, calls } = await investigate(t, {
      script: [
        { type: 'tool_calls', calls: [call('pods_list', { namespace: 'kube-system' }, 'c1')] },
        { type: 'tool_calls', calls: [submit(finding)] },
      ],
    });
    assert.equal(calls.length, 0);
    assert.deepEqual(
      r.rejected.map((x) => x.reason),
      ['this investigation reads only namespace staging, not kube-system'],
    );
  });

  it("a StatefulSet's incident is not offered rollout_history, and a call to it is refused naming the tools it has", async (t) => {
    const { r, fake, calls } = await investigate(
      t,
      {
        script: [
          { type: 'tool_calls', calls: [call('rollout_history', { name: 'postgres' }, 'c1')] },
          { type: 'tool_calls', calls: [submit(finding)] },
        ],
      },
      { incident: memoryIncident, facts: memoryFacts, alert: memoryAlert },
    );
    const names = offered(fake).map((f) => f.name);
    assert.deepEqual(names, ['pods_list', 'pod_get', 'pod_logs', 'events_list', 'cronjobs_list']);
    assert.equal(calls.length, 0);
    assert.match(
      r.rejected[0]?.reason ?? '',
      /^there is no tool "rollout_history"; the tools are: pods_list, pod_get, pod_logs, events_list, cronjobs_list$/,
    );
  });
});

describe('incidentTools', () => {
  const { tools } = fixtureReadTools({});
  const scope = (over: Partial<FindingsScope>): FindingsScope => ({
    cluster: 'homelab',
    namespace: 'shop',
    pods: [],
    configMaps: [],
    ...over,
  });
  const names = (s: FindingsScope) => incidentTools(tools, s).map((x) => x.name);
  const all = ['pods_list', 'pod_get', 'pod_logs', 'events_list', 'cronjobs_list', 'rollout_history'];

  it('a Deployment, or a workload not known: every tool', () => {
    assert.deepEqual(names(scope({ workload: { kind: 'Deployment', name: 'web' }, pods: ['web-1'] })), all);
    assert.deepEqual(names(scope({ pods: ['web-1'] })), all);
  });

  it('revisions only for a Deployment; pod details and logs only with a pod or a workload that has pods', () => {
    for (const kind of ['StatefulSet', 'DaemonSet', 'Job'] as const)
      assert.deepEqual(
        names(scope({ workload: { kind, name: 'x' } })),
        all.filter((n) => n !== 'rollout_history'),
        kind,
      );
    // A namespace-wide alert (a certificate, a volume): nothing names a pod to read.
    assert.deepEqual(names(scope({})), ['pods_list', 'events_list', 'cronjobs_list', 'rollout_history']);
  });

  it('keeps tools it has no rule for (metrics, Loki), in their order', () => {
    const extra = [...tools, { ...tools[0], name: 'metrics_query' }, { ...tools[0], name: 'logs_query' }];
    assert.deepEqual(
      incidentTools(extra as typeof tools, scope({}))
        .map((x) => x.name)
        .slice(-2),
      ['metrics_query', 'logs_query'],
    );
  });
});
