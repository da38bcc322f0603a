// The findings schema is the catalog, narrowed to one incident: what the model may write is what Belay
// could do here, and nothing else. Generated from the domain's zod schemas, so both always agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyActionRequest } from '../../src/domain/index.ts';
import {
  type FindingsScope,
  findingsJsonSchema,
  findingsRequest,
  parseFindings,
} from '../../src/orient/index.ts';
import { strictProblem } from '../fakes/schema-answer.ts';

const scope = (over: Partial<FindingsScope> = {}): FindingsScope => ({
  cluster: 'homelab',
  namespace: 'shop',
  workload: { kind: 'Deployment', name: 'web' },
  pods: ['web-7d9f8b6c5-x2x9k'],
  configMaps: [{ name: 'web-config', safeKeys: ['LOG_LEVEL', 'POOL_SIZE'] }],
  ...over,
});

type Branch = { properties: { kind: { const: string }; target: { properties: Record<string, unknown> } } };
function branches(s: FindingsScope): Branch[] {
  const json = findingsJsonSchema(s) as {
    properties: { proposal: { anyOf: [{ properties: { action: { anyOf?: Branch[] } & Branch } }] } };
  };
  const action = json.properties.proposal.anyOf[0].properties.action;
  return action.anyOf ?? [action];
}
const findings = (action: unknown) =>
  JSON.stringify({
    summary: 's',
    suspectedCause: null,
    needsHuman: null,
    humanAction: null,
    untrustedQuotes: [],
    proposal: { action, rationale: 'r' },
  });

describe('the findings schema is the catalog, narrowed to the incident', () => {
  it('offers the kinds that apply to a Deployment; what admits one value (cluster, namespace, workload, its only pod) is not asked', () => {
    const b = branches(scope());
    assert.deepEqual(
      b.map((x) => x.properties.kind.const),
      ['restart-pod', 'rollout-restart', 'scale', 'rollback-deployment', 'patch-configmap'],
    );
    // Code fills them in rather than paying for them on every call.
    for (const x of b.slice(0, 4))
      assert.deepEqual(x.properties.target.properties, {}, x.properties.kind.const);
    // Several declared ConfigMaps would be several patch branches: the name tells them apart.
    assert.deepEqual(b[4]?.properties.target.properties, { name: { type: 'string', const: 'web-config' } });
    assert.match(JSON.stringify(b[2]), /"replicas":\{"type":"integer","minimum":0,"maximum":1000\}/);
    assert.match(JSON.stringify(b[4]), /"key":\{"type":"string","enum":\["LOG_LEVEL","POOL_SIZE"\]\}/);
    // Several pods of the incident: the model names one of them.
    const [restart] = branches(scope({ pods: ['web-1', 'web-2'] }));
    assert.deepEqual(restart?.properties.target.properties, {
      pod: { type: 'string', enum: ['web-1', 'web-2'] },
    });
  });

  it('leaves out what cannot apply: a DaemonSet gets restart-pod only; no declared ConfigMap, no patch', () => {
    const b = branches(scope({ workload: { kind: 'DaemonSet', name: 'agent' }, configMaps: [] }));
    assert.deepEqual(
      b.map((x) => x.properties.kind.const),
      ['restart-pod'],
    );
  });

  it('meets OpenAI strict mode in both schema-carrying output modes', () => {
    const tools = findingsRequest(scope(), 'strict-tools');
    assert.equal(tools.submit?.function.strict, true);
    assert.equal(strictProblem(tools.submit?.function.parameters), undefined);
    const format = findingsRequest(scope(), 'json-schema').responseFormat;
    assert.equal(format?.type === 'json_schema' && strictProblem(format.json_schema.schema), undefined);
  });

  it("fills in the incident's target; an answer that names another is refused and says which", () => {
    const parse = (action: Record<string, unknown>) => parseFindings(findings(action), scope());
    const restart = parse({ kind: 'restart-pod', target: {} });
    assert.ok(restart.ok);
    assert.deepEqual(restart.value.proposal?.action, {
      kind: 'restart-pod',
      target: { cluster: 'homelab', namespace: 'shop', pod: 'web-7d9f8b6c5-x2x9k' },
    });
    assert.equal(classifyActionRequest(restart.value.proposal?.action).type, 'action');
    const rollout = parse({ kind: 'rollout-restart', target: {} });
    assert.deepEqual(rollout.ok && rollout.value.proposal?.action, {
      kind: 'rollout-restart',
      target: { cluster: 'homelab', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
    });
    // Naming the same target explicitly is fine: scripted models and older prompts do.
    assert.deepEqual(
      parse({ kind: 'rollout-restart', target: { cluster: 'homelab', name: 'web' } }),
      rollout,
    );
    const cases: [Record<string, unknown>, string][] = [
      [
        { kind: 'restart-pod', target: { cluster: 'prod' } },
        'target.cluster: Invalid input: expected "homelab"',
      ],
      [
        { kind: 'restart-pod', target: { namespace: 'kube-system' } },
        'target.namespace: Invalid input: expected "shop"',
      ],
      [
        { kind: 'restart-pod', target: { pod: 'db-0' } },
        'target.pod: Invalid input: expected "web-7d9f8b6c5-x2x9k"',
      ],
      [{ kind: 'scale', target: { name: 'api' }, replicas: 2 }, 'target.name: Invalid input: expected "web"'],
    ];
    for (const [action, problem] of cases)
      assert.deepEqual(parse(action), { ok: false, problem: `proposal.action.${problem}` });
  });

  it('turns the strict-mode forms back into the domain action, which the domain then accepts', () => {
    const rollback = parseFindings(
      findings({
        kind: 'rollback-deployment',
        target: { cluster: 'homelab', namespace: 'shop', name: 'web' },
        toRevision: null,
      }),
      scope(),
    );
    assert.ok(rollback.ok);
    assert.deepEqual(rollback.value.proposal?.action, {
      kind: 'rollback-deployment',
      target: { cluster: 'homelab', namespace: 'shop', name: 'web' },
    });
    const patch = parseFindings(
      findings({
        kind: 'patch-configmap',
        target: { cluster: 'homelab', namespace: 'shop', name: 'web-config' },
        data: [{ key: 'LOG_LEVEL', value: 'debug' }],
      }),
      scope(),
    );
    assert.ok(patch.ok);
    assert.deepEqual(patch.value.proposal?.action, {
      kind: 'patch-configmap',
      target: { cluster: 'homelab', namespace: 'shop', name: 'web-config' },
      data: { LOG_LEVEL: 'debug' },
    });
    assert.equal(classifyActionRequest(patch.value.proposal?.action).type, 'action');
  });

  it('says what is wrong in words a model can fix: the branch of the kind it chose, not "Invalid input"', () => {
    const cases: [unknown, RegExp][] = [
      [
        {
          kind: 'scale',
          target: { cluster: 'homelab', namespace: 'shop', workloadKind: 'Deployment', name: 'api' },
          replicas: 2,
        },
        /proposal\.action\.target\.name: Invalid input: expected "web"/,
      ],
      [
        {
          kind: 'scale',
          target: { cluster: 'homelab', namespace: 'shop', workloadKind: 'Deployment', name: 'web' },
          replicas: 5000,
        },
        /proposal\.action\.replicas: Too big/,
      ],
      [
        {
          kind: 'patch-configmap',
          target: { cluster: 'homelab', namespace: 'shop', name: 'web-config' },
          data: [{ key: 'DB_PASSWORD', value: 'x' }],
        },
        /proposal\.action\.data\.0\.key: Invalid option/,
      ],
      [
        { kind: 'drain-node', target: {} },
        /proposal\.action\.kind: not a catalog action this incident allows/,
      ],
    ];
    for (const [action, problem] of cases) {
      const parsed = parseFindings(findings(action), scope());
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.problem, problem);
    }
    assert.deepEqual(parseFindings('not json', scope()), { ok: false, problem: 'the answer is not JSON' });
  });
});
