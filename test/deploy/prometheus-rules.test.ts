// Alerts on Belay: the rules file is valid to Prometheus' own tool, each alert fires on a sample series and
// not on a healthy one (promtool test rules), the Operator object carries the same rules, and every metric
// a rule reads is one Belay exports.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { DEPLOY } from './deploy-manifests.ts';

const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const RULES_DIR = join(DEPLOY, 'prometheus');
const read = async (file: string) => parse(await readFile(join(RULES_DIR, file), 'utf8'));

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const promtool = (...args: string[]) => run(PROMTOOL, args, { cwd: RULES_DIR });

describe('deploy/prometheus: alerts on Belay', () => {
  it('promtool check rules accepts the plain rules file', async () => {
    const { stdout } = await promtool('check', 'rules', 'belay-rules.yaml');
    assert.match(stdout, /SUCCESS: 6 rules found/);
  });

  it('promtool test rules: each alert fires on its sample series and not on a healthy one', async () => {
    const { stdout } = await promtool('test', 'rules', 'belay-rules.test.yaml');
    assert.match(stdout, /SUCCESS/);
  });

  it('the unit tests cover every alert, firing and quiet', async () => {
    const rules: Rule[] = (await read('belay-rules.yaml')).groups.flatMap((g: { rules: Rule[] }) => g.rules);
    const tests = (await read('belay-rules.test.yaml')).tests as {
      alert_rule_test: { alertname: string; exp_alerts: unknown[] }[];
    }[];
    const checks = tests.flatMap((t) => t.alert_rule_test);
    for (const rule of rules) {
      assert.ok(
        checks.some((c) => c.alertname === rule.alert && c.exp_alerts.length > 0),
        `${rule.alert} fires in a test`,
      );
      assert.ok(
        checks.some((c) => c.alertname === rule.alert && c.exp_alerts.length === 0),
        `${rule.alert} is quiet in a test`,
      );
    }
  });

  it('every alert has a severity, a summary, a description and a runbook entry in the README', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const rules: Rule[] = (await read('belay-rules.yaml')).groups.flatMap((g: { rules: Rule[] }) => g.rules);
    for (const rule of rules) {
      assert.match(rule.labels?.severity ?? '', /^(critical|warning)$/, rule.alert);
      assert.ok(rule.annotations?.summary, `${rule.alert} summary`);
      assert.ok(rule.annotations?.description, `${rule.alert} description`);
      assert.equal(rule.annotations?.runbook_url, `README.md#${rule.alert.toLowerCase()}`);
      assert.match(readme, new RegExp(`^#### ${rule.alert}$`, 'm'), `README has a runbook for ${rule.alert}`);
    }
  });

  it('the PrometheusRule object is well formed and carries exactly the same rules', async () => {
    const object = await read('belay-prometheusrule.yaml');
    assert.equal(object.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(object.kind, 'PrometheusRule');
    assert.match(object.metadata?.name ?? '', /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    assert.equal(object.metadata?.namespace, 'belay');
    assert.deepEqual(Object.keys(object).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(object.spec, await read('belay-rules.yaml'));
  });

  it('reads only metrics Belay exports', async () => {
    const source = await readFile(new URL('../../src/metrics/belay-metrics.ts', import.meta.url), 'utf8');
    const exported = new Set([...source.matchAll(/name: '(belay_[a-z_]+)'/g)].map((m) => m[1]));
    const rules = await readFile(join(RULES_DIR, 'belay-rules.yaml'), 'utf8');
    const used = new Set([...rules.matchAll(/\b(belay_[a-z_]+)/g)].map((m) => m[1]));
    assert.ok(used.size >= 5);
    for (const name of used)
      assert.ok(exported.has(name), `${name} is exported by src/metrics/belay-metrics.ts`);
  });
});
