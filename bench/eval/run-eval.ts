// npm run eval: Belay's incident scenarios through the real orienter and policy, against fakes of the
// Kubernetes API and Prometheus on 127.0.0.1. By default (or --deterministic) Belay's rules orient; with
// --base-url and --model any OpenAI-compatible endpoint does, its key from OPENAI_API_KEY; with
// --fake-schema the schema-driven fake model (test/fakes/openai-server.ts) does, started in-process, so the
// token figures of the findings schema and prompts can be reproduced by anyone without a model.
// Exits 1 when a safety-critical scenario fails, 2 on a usage error.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Config, formatConfigProblem, loadConfig } from '../../src/config/index.ts';
import {
  createDailyTokenBudget,
  createOpenAIClient,
  DEFAULT_BUDGETS,
  loadPrompts,
  type ModelPort,
} from '../../src/orient/index.ts';
import { startFakeOpenAI } from '../../test/fakes/openai-server.ts';
import { type EvalSummary, formatTable, summarise } from './report.ts';
import { runScenario, type ScenarioResult } from './run-scenario.ts';
import { loadScenarios } from './scenario.ts';

export const EVAL_USAGE =
  'npm run eval -- [--deterministic | --fake-schema | --base-url URL --model NAME] [--scenarios DIR] [--only ID] [--json]';
/** The name the schema-driven fake model goes by in the table. */
export const SCHEMA_FAKE_MODEL = 'schema-driven fake';
const HERE = new URL('./', import.meta.url).pathname;

export interface EvalOptions {
  readonly scenariosDir?: string;
  readonly policyFile?: string;
  /** Absent: the deterministic orienter. */
  readonly model?: { readonly baseURL: string; readonly model: string; readonly apiKey?: string };
  readonly only?: string;
  /** Called after each scenario, for progress. */
  readonly onResult?: (result: ScenarioResult) => void;
}

/** Runs every scenario in order (they share nothing) and sums them up. */
export async function runEval(options: EvalOptions = {}): Promise<EvalSummary> {
  const policy = await readPolicy(options.policyFile ?? `${HERE}belay.yaml`);
  const prompts = await loadPrompts();
  const all = await loadScenarios(options.scenariosDir ?? `${HERE}scenarios`);
  const chosen = options.only ? all.filter((s) => s.id.includes(options.only ?? '')) : all;
  if (chosen.length === 0) throw new Error(`no scenario id contains "${options.only}"`);
  const m = options.model;
  const model = m
    ? (): ModelPort => {
        const requestTimeoutMs = 60_000;
        return {
          client: createOpenAIClient({
            baseURL: m.baseURL,
            apiKey: m.apiKey ?? 'not-needed',
            requestTimeoutMs,
            maxRetries: 1,
          }),
          model: m.model,
          requestTimeoutMs,
          maxRetries: 1,
          budgets: DEFAULT_BUDGETS,
          daily: createDailyTokenBudget(DEFAULT_BUDGETS.dailyTokens),
        };
      }
    : undefined;
  const results: ScenarioResult[] = [];
  for (const loaded of chosen) {
    const result = await runScenario(loaded, { policy, prompts, ...(model ? { model } : {}) });
    options.onResult?.(result);
    results.push(result);
  }
  return summarise(results, m ? m.model : 'deterministic rules');
}

async function readPolicy(path: string): Promise<Config> {
  const loaded = loadConfig(await readFile(path, 'utf8'), path);
  if (!loaded.ok) throw new Error(loaded.problems.map(formatConfigProblem).join('\n'));
  return loaded.config;
}

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (error) {
    console.error(`eval: ${(error as Error).message}\nusage: ${EVAL_USAGE}`);
    return 2;
  }
  const modelAsked = Boolean(values['base-url'] || values.model);
  const chosen = [values.deterministic, values['fake-schema'], modelAsked].filter(Boolean).length;
  if (chosen > 1) {
    console.error(
      `eval: give one of --deterministic, --fake-schema, or --base-url and --model\nusage: ${EVAL_USAGE}`,
    );
    return 2;
  }
  if (modelAsked && !(values['base-url'] && values.model)) {
    console.error(`eval: a model run needs both --base-url and --model\nusage: ${EVAL_USAGE}`);
    return 2;
  }
  const fake = values['fake-schema'] ? await startFakeOpenAI({ mode: 'schema' }) : undefined;
  const apiKey = process.env.OPENAI_API_KEY?.trim();
  let summary: EvalSummary;
  try {
    summary = await runEval({
      ...(values.scenarios ? { scenariosDir: values.scenarios } : {}),
      ...(values.only ? { only: values.only } : {}),
      ...(fake
        ? { model: { baseURL: fake.baseURL, model: SCHEMA_FAKE_MODEL } }
        : modelAsked
          ? {
              model: {
                baseURL: values['base-url'] ?? '',
                model: values.model ?? '',
                ...(apiKey ? { apiKey } : {}),
              },
            }
          : {}),
      onResult: (r) => {
        if (!values.json) process.stderr.write(`${r.pass ? '✓' : '✗'} ${r.id}\n`);
      },
    });
  } finally {
    await fake?.close();
  }
  console.log(values.json ? JSON.stringify(summary, null, 2) : formatTable(summary));
  return summary.safetyCritical.passed === summary.safetyCritical.total ? 0 : 1;
}

function parse() {
  return parseArgs({
    options: {
      deterministic: { type: 'boolean' },
      'fake-schema': { type: 'boolean' },
      'base-url': { type: 'string' },
      model: { type: 'string' },
      scenarios: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`eval stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
