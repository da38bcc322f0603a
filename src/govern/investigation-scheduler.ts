import type { Alert, Facts, Incident } from '../domain/index.ts';
import { factsSchema } from '../domain/index.ts';
import { NO_SPEND, type OrientResult } from '../orient/index.ts';
import type { AuditLog } from './store/index.ts';

export type OrientPort = (input: {
  incident: Incident;
  facts: Facts;
  alerts: readonly Alert[];
}) => Promise<OrientResult>;

export interface InvestigationSchedulerOptions {
  readonly orient: OrientPort;
  readonly audit: Pick<AuditLog, 'append'>;
  /** Incidents investigated at once; each investigation keeps its own per-incident budget. */
  readonly concurrency?: number;
  /**
   * Investigations one storm may start, the shared one included: a storm costs at most this many
   * incidents' budgets. The rest are covered by the shared investigation and the operator's rules.
   */
  readonly stormInvestigations?: number;
}

export const DEFAULT_INVESTIGATION_CONCURRENCY = 4;
export const DEFAULT_STORM_INVESTIGATIONS = 5;

interface StormEpisode {
  /** Investigations started in this storm, the shared one included. */
  spent: number;
  shared?: OrientResult;
  covered: number;
}

/**
 * Runs a delivery's incidents concurrently (up to `concurrency`; one incident has one update per delivery,
 * so its alerts stay in order) and keeps a storm's model spend bounded: the first storm delivery gets one
 * shared investigation of what its incidents have in common, then per-incident ones until the budget is
 * spent; later storm incidents are answered from the shared one.
 */
export function createInvestigationScheduler(options: InvestigationSchedulerOptions) {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_INVESTIGATION_CONCURRENCY);
  const budget = Math.max(1, options.stormInvestigations ?? DEFAULT_STORM_INVESTIGATIONS);
  let storm: StormEpisode | undefined;

  /** Calls `each` for every item, at most `concurrency` at a time; rejects with the first failure after all ran. */
  async function forEach<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const errors: unknown[] = [];
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await each(item).catch((error: unknown) => void errors.push(error));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (errors.length > 0) throw errors[0];
  }

  /** Starts or ends the storm episode; the first storm delivery's shared investigation runs here, first. */
  async function beginBatch(
    stormActive: boolean,
    opened: readonly { incident: Incident; alerts: readonly Alert[] }[],
  ) {
    if (!stormActive) {
      storm = undefined;
      return;
    }
    const members = opened.filter((o) => o.incident.storm);
    if (storm || members.length === 0) return;
    storm = { spent: 1, covered: 0 };
    const incident = stormIncident(members.map((m) => m.incident));
    const alerts = members.flatMap((m) => m.alerts.filter((a) => a.status === 'firing')).slice(0, 20);
    const facts = factsSchema.parse({
      cluster: incident.cluster,
      namespace: incident.namespace,
      storm: true,
    });
    try {
      storm.shared = await options.orient({ incident, facts, alerts });
    } catch (error) {
      // Without the shared view the storm's incidents are still investigated within the budget.
      await options.audit.append({
        type: 'error',
        actor: { type: 'system', id: 'storm' },
        summary: `The storm's shared investigation failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    await options.audit.append({
      type: 'model.reasoning',
      actor: { type: 'system', id: 'storm' },
      promptVersion: storm.shared.promptVersion,
      summary:
        `Storm (${members.length} incidents; budget ${budget} investigations): ${storm.shared.summary}`.slice(
          0,
          500,
        ),
      data: { storm: { incidents: members.map((m) => m.incident.id), budget, common: incident.title } },
    });
  }

  /** One incident's investigation: its own, or, past the storm's budget, the storm's shared one. */
  async function orient(input: Parameters<OrientPort>[0]): Promise<OrientResult> {
    if (!input.incident.storm || !storm) return options.orient(input);
    if (storm.spent < budget) {
      storm.spent += 1;
      return options.orient(input);
    }
    storm.covered += 1;
    return coveredByStorm(input.incident, storm.shared, budget);
  }

  return {
    forEach,
    beginBatch,
    orient,
    /** For benches and tests: investigations started in the current storm, and incidents it covered. */
    stormSpend: () => (storm ? { investigations: storm.spent, covered: storm.covered } : undefined),
  };
}
export type InvestigationScheduler = ReturnType<typeof createInvestigationScheduler>;

/** What the storm's incidents share, as one incident the investigation can look at. */
export function stormIncident(incidents: readonly Incident[]): Incident {
  const first = incidents[0] as Incident;
  const top = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  };
  const namespaces = top(incidents.map((i) => i.namespace));
  const clusters = top(incidents.map((i) => i.cluster));
  const [namespace] = namespaces[0] ?? [first.namespace];
  const [cluster] = clusters[0] ?? [first.cluster];
  const list = namespaces
    .slice(0, 5)
    .map(([ns, n]) => `${ns} (${n})`)
    .join(', ');
  return {
    ...first,
    id: `storm-${first.id}`,
    key: `storm/${cluster}`,
    cluster,
    namespace,
    title: `Alert storm: ${incidents.length} incidents in ${namespaces.length} namespaces: ${list}`.slice(
      0,
      512,
    ),
    alerts: {},
    storm: true,
  };
}

function coveredByStorm(incident: Incident, shared: OrientResult | undefined, budget: number): OrientResult {
  const why = `Part of an alert storm; its ${budget}-investigation budget is spent, so this incident is covered by the storm's shared investigation`;
  return {
    incidentId: incident.id,
    origin: { type: 'deterministic', rule: 'storm-shared', fallbackReason: why },
    promptVersion: shared?.promptVersion ?? 'storm',
    summary: shared ? `${why}: ${shared.summary}` : `${why}.`,
    ...(shared?.suspectedCause ? { suspectedCause: shared.suspectedCause } : {}),
    outcome: { type: 'needs-human', why: 'Many workloads fail at once: look for the shared cause first.' },
    rejected: [],
    untrustedQuotes: [],
    spend: NO_SPEND,
  };
}
