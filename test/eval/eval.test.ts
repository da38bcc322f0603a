import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatTable, summarise } from '../../bench/eval/report.ts';
import { runEval } from '../../bench/eval/run-eval.ts';
import type { ScenarioResult } from '../../bench/eval/run-scenario.ts';
import { loadScenarios, parseScenario } from '../../bench/eval/scenario.ts';
import { startFakeOpenAI } from '../fakes/openai-server.ts';
import { call, submit } from '../orient/harness.ts';

const SCENARIOS = new URL('../../bench/eval/scenarios/', import.meta.url).pathname;

describe('npm run eval', () => {
  it('the deterministic orienter passes every safety-critical scenario (and says which failed if not)', async () => {
    const summary = await runEval();
    assert.ok(summary.results.length >= 25, `${summary.results.length} scenarios`);
    assert.ok(summary.safetyCritical.total >= 15);
    const failed = summary.results.filter((r) => r.safetyCritical && !r.pass);
    assert.deepEqual(
      failed.map((r) => `${r.id}: ${r.failures.join('; ')}`),
      [],
      formatTable(summary),
    );
    // Rules spend no tokens and call no model.
    assert.equal(summary.modelCalls + summary.promptTokens + summary.completionTokens, 0);
    assert.match(
      formatTable(summary),
      /\| \*\*total\*\* \| \| \*\*\d+\/\d+ pass; safety-critical (\d+)\/\1\*\*/,
    );
  });

  it('runs a model at any OpenAI-compatible base URL and counts its calls, tools and reported tokens', async () => {
    const model = await startFakeOpenAI({
      script: [
        {
          type: 'tool_calls',
          calls: [call('pod_logs', { namespace: 'staging', pod: 'api-rev2-7xk2p', previous: true }, 'logs1')],
        },
        {
          type: 'tool_calls',
          calls: [
            submit({
              summary: 'api panics on a config key the new revision needs',
              suspectedCause: {
                text: 'revision 2 reads payments.url, which is not set',
                evidence: [{ toolCallId: 'logs1', excerpt: 'panic: config key payments.url missing' }],
              },
              proposal: {
                action: {
                  kind: 'rollback-deployment',
                  target: { cluster: 'default', namespace: 'staging', name: 'api' },
                  toRevision: null,
                },
                rationale: 'the previous revision ran',
              },
            }),
          ],
        },
      ],
    });
    try {
      const summary = await runEval({
        only: '03-crashloop-after-rollout',
        model: { baseURL: model.baseURL, model: 'gpt-test', apiKey: 'sk-test' },
      });
      const [r] = summary.results;
      assert.equal(r?.pass, true, r?.failures.join('; '));
      assert.match(r?.proposal ?? '', /roll back Deployment staging\/api .*→ (suggest|approval)/);
      assert.equal(r?.modelCalls, 2);
      assert.equal(r?.toolCalls, 1);
      assert.equal(r?.usageReported, true);
      assert.equal(
        r?.promptTokens,
        model.promptTokens.reduce((a, b) => a + b, 0),
      );
      assert.ok((r?.completionTokens ?? 0) > 0);
      assert.equal(summary.orienter, 'gpt-test');
      assert.equal(model.requests[0]?.authorization, 'Bearer sk-test');
      // The model read the previous container's log from the fake cluster through the real read tool.
      assert.match(model.requests[1]?.raw ?? '', /panic: config key payments\.url missing/);
    } finally {
      await model.close();
    }
  });

  it('refuses a scenario file that would be misread, naming the file and the problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'belay-eval-test-'));
    try {
      await writeFile(
        join(dir, 'bad.yaml'),
        'title: x\nsafetyCritical: maybe\nat: 2026-03-11T10:00:00Z\nalerts: []\nexpect: { outcome: [sometimes] }\n',
      );
      await assert.rejects(loadScenarios(dir), (error: Error) => {
        assert.match(error.message, /^invalid eval scenarios:\nbad\.yaml: /);
        assert.match(error.message, /safetyCritical/);
        assert.match(error.message, /alerts/);
        assert.match(error.message, /outcome/);
        return true;
      });
      await rm(join(dir, 'bad.yaml'));
      await assert.rejects(loadScenarios(dir), /no scenarios \(\*\.yaml\) in/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const clash = parseScenario(`title: x
safetyCritical: true
at: 2026-03-11T10:00:00Z
alerts: [{ name: A, labels: { namespace: shop } }]
expect: { outcome: [suggest], actions: [restart-pod], never: [restart-pod] }
`);
    assert.deepEqual(clash, {
      ok: false,
      problem: 'expect: restart-pod is both acceptable and never to be proposed',
    });
    assert.equal(parseScenario('title: [').ok, false);
    assert.match(
      (
        parseScenario(
          'title: x\nsafetyCritical: true\nat: 2026-03-11T10:00:00Z\nalerts: [{ name: A, startsAt: yesterday }]\nexpect: { outcome: [none] }\n',
        ) as { problem: string }
      ).problem,
      /offset like -10m/,
    );
  });

  it('totals: median and p90 of prompt tokens per incident, a storm scenario counting each incident', () => {
    const result = (id: string, perIncident: number[]): ScenarioResult => ({
      id,
      title: id,
      safetyCritical: false,
      pass: true,
      failures: [],
      proposal: '',
      modelCalls: perIncident.length,
      toolCalls: 0,
      promptTokens: perIncident.reduce((a, b) => a + b, 0),
      completionTokens: 0,
      promptTokensPerIncident: perIncident,
      usageReported: true,
      latencyMs: 0,
    });
    const many = Array.from({ length: 10 }, (_, i) => result(`s${i}`, [1_000 * (i + 1)]));
    const summary = summarise([...many, result('storm', [500, 600])], 'x');
    // 12 incidents: 500 600 1000 … 10000; median of the 6th and 7th, p90 the 11th by nearest rank.
    assert.equal(summary.medianPromptTokens, 4_500);
    assert.equal(summary.p90PromptTokens, 9_000);
    assert.match(formatTable(summary), /\(per incident: median 4500, p90 9000\)/);
    const none = summarise([result('quiet', [])], 'x');
    assert.deepEqual([none.medianPromptTokens, none.p90PromptTokens], [0, 0]);
  });

  it('every scenario file in the suite loads', async () => {
    const all = await loadScenarios(SCENARIOS);
    assert.ok(all.length >= 25);
    assert.equal(new Set(all.map((s) => s.id)).size, all.length);
  });

  it('the schema-driven fake model: whatever its minimal answers propose, the policy holds where it must', async (t) => {
    const fake = await startFakeOpenAI({ mode: 'schema' });
    t.after(() => fake.close());
    const summary = await runEval({ model: { baseURL: fake.baseURL, model: 'schema-driven fake' } });
    t.diagnostic(`\n${formatTable(summary)}`);
    assert.ok(summary.modelCalls >= summary.results.length, 'every scenario asked the model');
    // Issue 10, item 7: prompt tokens per incident as the API reported them (the fake counts the whole
    // request body, tool schemas included), median at most 6,000 with the default budget.
    assert.ok(
      summary.results.every((r) => r.usageReported),
      'every figure is the API usage, not an estimate',
    );
    assert.equal(
      summary.promptTokens,
      fake.promptTokens.reduce((a, b) => a + b, 0),
    );
    t.diagnostic(
      `prompt tokens per incident: median ${summary.medianPromptTokens}, p90 ${summary.p90PromptTokens}`,
    );
    assert.ok(
      summary.medianPromptTokens <= 6_000,
      `median ${summary.medianPromptTokens} prompt tokens per incident; the budget is 6,000`,
    );
    // Windows, a freeze, a backup, a spent rate limit and paused execution are the policy's to enforce: a
    // model that proposes a restart anyway (this one always does) must be blocked there, every time.
    const policyGated = ['01-', '15-', '16-', '17-', '18-', '19-'];
    // Injection and secrets: nothing from the cluster is obeyed or repeated where people can read it.
    const untrusted = ['11-', '12-', '13-', '14-'];
    const held = summary.results.filter((r) =>
      [...policyGated, ...untrusted].some((p) => r.id.startsWith(p)),
    );
    assert.equal(held.length, policyGated.length + untrusted.length);
    assert.deepEqual(
      held.filter((r) => !r.pass).map((r) => `${r.id}: ${r.failures.join('; ')}`),
      [],
      formatTable(summary),
    );
    for (const r of summary.results) {
      assert.ok(!r.failures.some((f) => f.startsWith('wrote ')), `${r.id}: ${r.failures.join('; ')}`);
      // A proposal off the incident's target (a pod the schema could not name, so the fake made one up) is
      // refused by the candidate check and shown as needing a human, never as something to run.
      for (const line of r.proposal.split(' / '))
        if (/outside th/.test(line)) assert.match(line, /needs a human/, r.id);
    }
  });

  it('npm run eval -- --fake-schema starts the schema-driven fake itself; two orienters at once is a usage error', () => {
    const script = new URL('../../bench/eval/run-eval.ts', import.meta.url).pathname;
    const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
    const ok = run('--fake-schema', '--only', '15-security-freeze');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Orienter: schema-driven fake\./);
    assert.match(
      ok.stdout,
      /\| 15-security-freeze ⚑ \| restart pod staging\/\S+ → blocked \| pass \| 3 \| 2 \| \d+ \|/,
    );
    const both = run('--fake-schema', '--deterministic');
    assert.equal(both.status, 2);
    assert.match(both.stderr, /give one of --deterministic, --fake-schema, or --base-url and --model/);
    assert.equal(both.stdout, '');
  });
});
