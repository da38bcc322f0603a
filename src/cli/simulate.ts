import { dirname, isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Config, formatConfigProblem, loadConfig } from '../config/index.ts';
import { decide, evaluateAlert } from '../decide/index.ts';
import { type Alert, type Facts, factsSchema, type Verdict } from '../domain/index.ts';
import { createGraphRenderer, type GraphRenderer } from '../graph/index.ts';
import { targetWindows, windowFromDefinition } from '../observe/calendar/index.ts';
import { parseAlertmanagerWebhook } from '../observe/intake/index.ts';
import type { CliIo } from './cli-io.ts';
import { renderVerdict } from './render-verdict.ts';
import { type StepGraph, simulateGraph } from './simulate-graphs.ts';
import { resolveInstant, type Scenario, scenarioSchema, snapshotSchema } from './simulate-scenario.ts';

export const SIMULATE_USAGE =
  'belay simulate --config FILE (--scenario FILE | --alert FILE --facts FILE [--at ISO-TIME]) [--json] [--graph DIR]';

const SIMULATE_HELP = [
  `usage: ${SIMULATE_USAGE}`,
  '',
  'The verdicts Belay would give, with every reason, without Slack, a cluster or a model.',
  '  --config FILE    the policy file (belay.yaml)',
  '  --scenario FILE  a scenario: steps of alert, facts, time and the verdict expected; exits 1 on a mismatch',
  '  --alert FILE     one Alertmanager webhook body (JSON), with --facts',
  '  --facts FILE     a facts snapshot (YAML) of the target at that time',
  '  --at ISO-TIME    when to decide (default: now)',
  '  --json           the report as JSON',
  "  --graph DIR      also draw each alert step's metric graph, the picture the card carries, as DIR/NN-HHMM-target.png",
  'Paths in a scenario are read relative to the scenario file; absolute paths as they are.',
];

interface StepResult {
  title: string;
  at: string;
  expect?: string;
  decisions: { label?: string; rule?: string; problem?: string; verdict?: Verdict }[];
  graph?: StepGraph;
}

interface GraphOutput {
  readonly dir: string;
  readonly renderer: GraphRenderer;
  readonly writeFile: NonNullable<CliIo['writeFile']>;
}

/**
 * Intake → decision with no Slack, cluster or model: the verdicts Belay would give for an alert and a facts
 * snapshot at a given instant. Exits 1 when a scenario step's verdict differs from what it expects.
 */
export async function runSimulate(args: readonly string[], io: CliIo): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(args);
  } catch (error) {
    io.stderr(`belay simulate: ${(error as Error).message}`);
    io.stderr(`usage: ${SIMULATE_USAGE}`);
    return 2;
  }
  const { config: configPath, scenario: scenarioPath, alert, facts, at, json, help, graph } = options.values;
  if (help) {
    for (const line of SIMULATE_HELP) io.stdout(line);
    return 0;
  }
  if (!configPath || (!scenarioPath && (!alert || !facts))) {
    io.stderr(`usage: ${SIMULATE_USAGE}`);
    return 2;
  }
  let graphs: GraphOutput | undefined;
  if (graph !== undefined) {
    if (!graph || !io.writeFile) {
      io.stderr(
        !graph
          ? 'belay simulate: --graph needs a folder to write the graphs to'
          : 'belay simulate: this terminal cannot write files',
      );
      return 2;
    }
    try {
      graphs = { dir: graph, renderer: createGraphRenderer(), writeFile: io.writeFile };
    } catch (error) {
      io.stderr(`belay simulate: ${(error as Error).message}`);
      return 1;
    }
  }
  const loaded = loadConfig(await io.readFile(configPath), configPath);
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.stderr(formatConfigProblem(problem));
    io.stderr(`${configPath}: ${loaded.problems.length} problem(s); run belay check-config ${configPath}`);
    return 1;
  }
  let scenario: Scenario;
  let base: string;
  try {
    if (scenarioPath) {
      base = dirname(scenarioPath);
      scenario = scenarioSchema.parse(parseYaml(await io.readFile(scenarioPath)));
    } else {
      base = '.';
      const instant = at ?? new Date().toISOString();
      scenario = {
        title: 'simulation',
        steps: [
          {
            title: `alert ${alert} at ${instant}`,
            at: instant,
            alert,
            facts: facts ?? '',
            requestedBy: 'U0SIMULATE',
          },
        ],
      };
    }
  } catch (error) {
    const why = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    io.stderr(`belay simulate: ${scenarioPath} is not a valid scenario: ${why}`);
    return 1;
  }

  const results: StepResult[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    try {
      // `resolve` semantics without touching the working directory: an absolute path is read as given.
      const read = (p: string) => io.readFile(isAbsolute(p) ? p : join(base, p));
      results.push(await runStep(loaded.config, step, read, graphs && { ...graphs, index }));
    } catch (error) {
      const why = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
      io.stderr(`belay simulate: step "${step.title}": ${why}`);
      return 1;
    }
  }

  const mismatches = results.filter(
    (r) => r.expect && !r.decisions.some((d) => d.verdict?.disposition === r.expect),
  );
  if (json) io.stdout(JSON.stringify({ title: scenario.title, steps: results }, null, 2));
  else {
    io.stdout(scenario.title);
    for (const r of results) {
      io.stdout('');
      io.stdout(`▶ ${r.title}  (${r.at})`);
      if (r.decisions.length === 0)
        io.stdout('  no rule matches this alert; Belay would open an incident and investigate');
      for (const d of r.decisions) {
        if (d.label) io.stdout(`  ${d.label}${d.rule ? ` → rule ${d.rule}` : ''}`);
        if (d.problem) io.stdout(`    · ${d.problem}`);
        if (d.verdict) for (const line of renderVerdict(d.verdict, '  ')) io.stdout(line);
      }
      if (r.graph)
        io.stdout('file' in r.graph ? `  📈 graph: ${r.graph.file}` : `  📈 no graph: ${r.graph.none}`);
    }
  }
  for (const m of mismatches) {
    const got = m.decisions.map((d) => d.verdict?.disposition ?? 'nothing').join(', ') || 'nothing';
    io.stderr(`✗ "${m.title}": expected ${m.expect}, got ${got}`);
  }
  return mismatches.length > 0 ? 1 : 0;
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      scenario: { type: 'string' },
      alert: { type: 'string' },
      facts: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      graph: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

async function runStep(
  config: Config,
  step: Scenario['steps'][number],
  read: (path: string) => Promise<string>,
  graphs?: GraphOutput & { readonly index: number },
): Promise<StepResult> {
  const at = new Date(step.at);
  const facts = await readFacts(config, await read(step.facts), at);
  const result: StepResult = {
    title: step.title,
    at: step.at,
    ...(step.expect ? { expect: step.expect } : {}),
    decisions: [],
  };
  if (step.request) {
    const verdict = decide(
      config,
      { request: step.request, origin: { type: 'manual', user: step.requestedBy } },
      facts,
      at,
    );
    result.decisions.push({ label: `manual request by <@${step.requestedBy}>`, verdict });
    return result;
  }
  const parsed = parseAlertmanagerWebhook(JSON.parse(await read(step.alert ?? '')), at);
  if (!parsed.ok) throw new Error(`the alert file is not an Alertmanager webhook payload: ${parsed.error}`);
  const matched = new Set<Config['rules'][number]>();
  for (const alert of parsed.value) {
    const label = describeAlert(alert);
    const outcomes = evaluateAlert(config, alert, facts, at);
    for (const o of outcomes) matched.add(o.rule);
    if (outcomes.length === 0) result.decisions.push({ label: `${label} (no rule matches)` });
    for (const o of outcomes) {
      result.decisions.push(
        'problem' in o
          ? { label, rule: o.rule.name, problem: o.problem }
          : { label, rule: o.rule.name, verdict: o.verdict },
      );
    }
  }
  if (graphs)
    result.graph = await simulateGraph({ ...graphs, alerts: parsed.value, facts, rules: [...matched], at });
  return result;
}

/** The snapshot, with relative times resolved and the policy file's windows placed on the target. */
async function readFacts(config: Config, text: string, at: Date): Promise<Facts> {
  const snapshot = snapshotSchema.parse(parseYaml(text));
  const resolveOrThrow = (t: string) => {
    const iso = resolveInstant(t, at);
    if (!iso) throw new Error(`"${t}" is neither a time nor an offset like -90s`);
    return iso;
  };
  const facts = factsSchema.parse({
    ...snapshot,
    cluster: snapshot.cluster ?? 'default',
    metrics: snapshot.metrics.map((m) => ({
      ...m,
      samples: m.samples.map((s) => ({ at: resolveOrThrow(s.at), value: s.value })),
    })),
    ledger: snapshot.ledger.map((e) => ({ ...e, at: resolveOrThrow(e.at) })),
  });
  const configured = targetWindows(config.windows.map(windowFromDefinition), facts, at);
  return { ...facts, windows: [...facts.windows, ...configured] };
}

function describeAlert(alert: Alert): string {
  const where = [alert.labels.namespace, alert.labels.pod].filter(Boolean).join('/');
  return `alert ${alert.name}${where ? ` (${where})` : ''} ${alert.status}`;
}
