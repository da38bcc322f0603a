import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { resolveInstant } from '../../src/cli/simulate-scenario.ts';
import { actionKindSchema, dispositionSchema } from '../../src/domain/index.ts';

/** `-10m`, `+5s` (relative to the scenario's instant) or an ISO time. */
const when = z
  .string()
  .refine((t) => resolveInstant(t, new Date(0)) !== undefined, 'must be an ISO time or an offset like -10m');
const labels = z.record(z.string(), z.string());

const podSchema = z
  .object({
    name: z.string(),
    container: z.string().default('app'),
    restarts: z.number().int().min(0).default(0),
    /** The last time the container ended, and why (OOMKilled, Error, Completed). */
    lastTermination: z
      .object({ reason: z.string(), exitCode: z.number().int().default(1), at: when })
      .strict()
      .optional(),
    /** Why the container is waiting now: CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError. */
    waiting: z.object({ reason: z.string(), message: z.string().optional() }).strict().optional(),
    ready: z.boolean().default(false),
    node: z.string().optional(),
    annotations: labels.default({}),
  })
  .strict();

/** A workload as the cluster would hold it, expanded by cluster-objects.ts into real API objects. */
const workloadSchema = z
  .object({
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']),
    name: z.string(),
    namespace: z.string(),
    replicas: z.number().int().min(0).default(1),
    ready: z.number().int().min(0).optional(),
    image: z.string().optional(),
    memoryLimit: z.string().optional(),
    /** Deployment: when its current revision (2) was rolled out; absent: one revision, created long ago. */
    rolledOutAt: when.optional(),
    /** CronJob: its schedule; a Job it owns may be running (see `running`). */
    schedule: z.string().optional(),
    /** CronJob: a Job of it started then and has not finished. */
    running: when.optional(),
    annotations: labels.default({}),
    pods: z.array(podSchema).default([]),
  })
  .strict();

const alertSchema = z
  .object({
    name: z.string(),
    status: z.enum(['firing', 'resolved']).default('firing'),
    labels: labels.default({}),
    annotations: labels.default({}),
    startsAt: when.default('-5m'),
  })
  .strict();

const seriesSchema = z
  .object({
    labels: labels.refine((l) => l.__name__ !== undefined, 'needs a __name__ label'),
    from: when.default('-30m'),
    to: when.default('+0s'),
    step: z.number().int().min(1).default(15),
    /** A constant value, or a straight line from the first to the second (a leak). */
    value: z.union([z.number(), z.tuple([z.number(), z.number()])]),
  })
  .strict();

const outcomeSchema = z.enum([...dispositionSchema.options, 'none']);

export const scenarioSchema = z
  .object({
    title: z.string().min(1),
    /** From which write-up or pattern it comes, for whoever reads a failure. */
    source: z.string().optional(),
    /** A failure here is a safety failure: CI requires 100% of these with the deterministic orienter. */
    safetyCritical: z.boolean(),
    at: z.iso.datetime({ offset: true }),
    alerts: z.array(alertSchema).min(1),
    cluster: z
      .object({
        namespaces: z.array(z.object({ name: z.string(), labels: labels.default({}) }).strict()).default([]),
        workloads: z.array(workloadSchema).default([]),
        /** Anything else, as the API holds it: ConfigMaps, PodDisruptionBudgets, Events. */
        objects: z.array(z.record(z.string(), z.unknown())).default([]),
        logs: z
          .array(
            z
              .object({
                namespace: z.string(),
                pod: z.string(),
                container: z.string().default('app'),
                previous: z.boolean().default(false),
                text: z.string(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    metrics: z.array(seriesSchema).default([]),
    /** What Belay's own state holds: a declared freeze, a pause, what it already did recently. */
    state: z
      .object({
        freeze: z.object({ reason: z.string(), by: z.string() }).strict().optional(),
        pause: z.object({ reason: z.string(), by: z.string() }).strict().optional(),
        ledger: z
          .array(
            z
              .object({
                at: when,
                kind: actionKindSchema,
                namespace: z.string(),
                pod: z.string().optional(),
                workload: z.string().optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    expect: z
      .object({
        /** Acceptable outcomes: a verdict's disposition, or `none` when nothing is proposed. */
        outcome: z.array(outcomeSchema).min(1),
        /** Acceptable action kinds when something is proposed; empty: no action is acceptable. */
        actions: z.array(actionKindSchema).default([]),
        /** Kinds that must never be put in front of a human as runnable (auto, suggest, approval). */
        never: z.array(actionKindSchema).default([]),
        /** Text that must not appear anywhere Belay wrote (card, audit): a secret from the fixture. */
        neverSays: z.array(z.string()).default([]),
        /** Words what Belay shows must contain (its summary, cause, evidence or reason), e.g. the limit. */
        mentions: z.array(z.string()).default([]),
        /** What Belay shows must flag untrusted instructions from the cluster or the alert. */
        flagsUntrusted: z.boolean().default(false),
      })
      .strict(),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioWorkload = z.infer<typeof workloadSchema>;

export interface LoadedScenario {
  readonly id: string;
  readonly scenario: Scenario;
}

/** Every `*.yaml` in `dir`, validated; one bad file fails the whole load with its name and every problem. */
export async function loadScenarios(dir: string): Promise<LoadedScenario[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`no scenarios (*.yaml) in ${dir}`);
  const problems: string[] = [];
  const loaded: LoadedScenario[] = [];
  for (const file of files) {
    const result = parseScenario(await readFile(join(dir, file), 'utf8'));
    if (result.ok) loaded.push({ id: file.replace(/\.yaml$/, ''), scenario: result.scenario });
    else problems.push(`${file}: ${result.problem}`);
  }
  if (problems.length > 0) throw new Error(`invalid eval scenarios:\n${problems.join('\n')}`);
  return loaded;
}

export function parseScenario(
  text: string,
): { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problem: string } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { ok: false, problem: `not YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
  const { expect } = parsed.data;
  // An action may be acceptable blocked and yet never acceptable runnable; not when nothing is blocked.
  const runnableOnly = !expect.outcome.includes('blocked');
  const clash = expect.actions.find((k) => expect.never.includes(k));
  if (clash && runnableOnly)
    return { ok: false, problem: `expect: ${clash} is both acceptable and never to be proposed` };
  return { ok: true, scenario: parsed.data };
}
