import type { Config } from '../config/index.ts';
import type { Clock } from '../domain/index.ts';
import { createDryRunReviews } from '../govern/dry-run-reviews.ts';
import type { ExecutionGate } from '../govern/execution-gate.ts';
import type { IncidentPresenter } from '../govern/incident-presenter.ts';
import { createOutcomeTracker } from '../govern/outcome-tracker.ts';
import { withRuleRecords } from '../govern/recorded-gate.ts';
import { createRulePromotion } from '../govern/rule-promotion.ts';
import type { Notifier } from '../govern/service.ts';
import type { AuditLog, RuleRecordsStore, StateStore } from '../govern/store/index.ts';
import { alertFiring, type PrometheusReads } from '../observe/prometheus/index.ts';

export interface RuleRecordWiring {
  readonly config: Config;
  readonly records: RuleRecordsStore;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly presenter: IncidentPresenter;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly groupsOf: (user: string) => Promise<readonly string[]>;
  readonly prometheus: PrometheusReads | undefined;
  readonly gate: ExecutionGate;
  /** The seam for replay: the rule's replay summary, shown in /remediate promote's answer. */
  readonly replaySummary?: (rule: string) => Promise<string | undefined>;
}

/**
 * What Belay learns about its rules, wired: outcomes measured against the alerts (and Prometheus' ALERTS
 * where configured), the gate that feeds them and demotes, dry-run reviews, and promotion.
 */
export function wireRuleRecords(options: RuleRecordWiring) {
  const { config, records, store, audit, presenter, clock, groupsOf } = options;
  const prometheus = options.prometheus;
  const outcomes = createOutcomeTracker({
    records,
    store,
    audit,
    presenter,
    settings: config.outcomes,
    clock,
    ...(prometheus ? { alertFiring: (alert, at) => alertFiring(prometheus.client, alert, at) } : {}),
  });
  const gate = withRuleRecords(options.gate, {
    records,
    audit,
    presenter,
    clock,
    outcomes,
    fileModes: Object.fromEntries(config.rules.map((r) => [r.name, r.mode])),
  });
  const reviews = createDryRunReviews({
    policy: config,
    records,
    store,
    audit,
    notifier: options.notifier,
    presenter,
    clock,
    groupsOf,
  });
  const promotion = createRulePromotion({
    policy: config,
    records,
    store,
    audit,
    presenter,
    clock,
    groupsOf,
    ...(options.replaySummary ? { replaySummary: options.replaySummary } : {}),
  });
  return { outcomes, gate, reviews, promotion };
}

/** Remembers when each rule running in dry-run was first seen so: the start of its record. */
export async function noteDryRunRules(
  config: Config,
  records: RuleRecordsStore,
  clock: Clock,
): Promise<void> {
  for (const rule of config.rules) {
    const mode = records.override(rule.name)?.mode ?? rule.mode;
    if (mode === 'dry-run') await records.noteDryRun(rule.name, clock.now().toISOString());
  }
}
