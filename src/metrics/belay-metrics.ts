import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import {
  ALERT_SOURCES,
  actionKind,
  bounded,
  DELIVERY_RESULTS,
  disposition,
  EXECUTION_OUTCOMES,
  MODEL_CALL_OUTCOMES,
  OTHER,
  SLACK_RETRY_REASONS,
} from './label-values.ts';

/** What the scrape reads at the moment it happens, so gauges never go stale between events. */
export interface MetricsSources {
  readonly openIncidents: () => number;
  readonly frozen: () => boolean;
  readonly paused: () => boolean;
  readonly intakeBacklog: () => { readonly size: number; readonly oldestAgeSeconds: number };
  readonly slackQueueDepth: () => number;
}

export interface BelayMetricsOptions {
  readonly registry: Registry;
  readonly sources: MetricsSources;
  /** The policy's rule names: the only values the `rule` label takes besides "none" and "other". */
  readonly ruleNames: readonly string[];
}

/**
 * Every Belay metric, registered on the one registry the composition root built, behind typed recording
 * functions: the parts that record call these and never touch prom-client.
 */
export function createBelayMetrics(options: BelayMetricsOptions) {
  const registers = [options.registry];
  const { sources } = options;
  collectDefaultMetrics({ register: options.registry });
  const rule = (name: unknown) => (name === undefined ? 'none' : bounded(name, options.ruleNames));

  const alertsReceived = new Counter({
    name: 'belay_alerts_received_total',
    help: 'Alert deliveries received, by source and what the intake did with them.',
    labelNames: ['source', 'result'],
    registers,
  });
  new Gauge({
    name: 'belay_incidents_open',
    help: 'Incidents Belay has open now.',
    registers,
    collect() {
      this.set(sources.openIncidents());
    },
  });
  const proposals = new Counter({
    name: 'belay_proposals_total',
    help: 'Proposals created, by the policy disposition, the rule that matched and the action.',
    labelNames: ['disposition', 'rule', 'action'],
    registers,
  });
  const gateRefusals = new Counter({
    name: 'belay_gate_refusals_total',
    help: 'Approvals, executions or reverts the execution gate refused, by reason.',
    labelNames: ['reason'],
    registers,
  });
  const executions = new Counter({
    name: 'belay_executions_total',
    help: 'Actions executed against a cluster, by action and outcome.',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const reverts = new Counter({
    name: 'belay_reverts_total',
    help: 'Reverts executed against a cluster, by action reverted and outcome.',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const verification = new Histogram({
    name: 'belay_verification_duration_seconds',
    help: 'How long Belay waited to verify an executed action, by action.',
    labelNames: ['action'],
    buckets: [1, 5, 15, 30, 60, 120, 180, 300, 600],
    registers,
  });
  const modelCalls = new Counter({
    name: 'belay_model_calls_total',
    help: 'HTTP calls to the model endpoint, by outcome.',
    labelNames: ['outcome'],
    registers,
  });
  const modelTokens = new Counter({
    name: 'belay_model_tokens_total',
    help: 'Tokens the model endpoint reported, by kind (prompt or completion).',
    labelNames: ['kind'],
    registers,
  });
  const modelLatency = new Histogram({
    name: 'belay_model_call_duration_seconds',
    help: 'Latency of one HTTP call to the model endpoint.',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
    registers,
  });
  const fallbacks = new Counter({
    name: 'belay_model_fallbacks_total',
    help: 'Times Belay oriented with its rules instead of the model, by reason.',
    labelNames: ['reason'],
    registers,
  });
  new Gauge({
    name: 'belay_intake_backlog',
    help: 'Alert deliveries accepted by the intake and not yet processed.',
    registers,
    collect() {
      this.set(sources.intakeBacklog().size);
    },
  });
  new Gauge({
    name: 'belay_intake_oldest_unprocessed_age_seconds',
    help: 'Age of the oldest accepted delivery not yet processed; 0 when the backlog is empty.',
    registers,
    collect() {
      this.set(sources.intakeBacklog().oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'belay_slack_send_queue_depth',
    help: 'Slack messages queued or being retried, not yet sent.',
    registers,
    collect() {
      this.set(sources.slackQueueDepth());
    },
  });
  const slackRetries = new Counter({
    name: 'belay_slack_send_retries_total',
    help: 'Slack sends retried by the send queue, by reason (rate_limited is a 429).',
    labelNames: ['reason'],
    registers,
  });
  const writeLatency = new Histogram({
    name: 'belay_store_write_duration_seconds',
    help: 'Latency of one durable write, by store (state or audit).',
    labelNames: ['store'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const writeFailures = new Counter({
    name: 'belay_store_write_failures_total',
    help: 'Durable writes that failed, by store (state or audit).',
    labelNames: ['store'],
    registers,
  });
  new Gauge({
    name: 'belay_switch_enabled',
    help: 'The emergency switches: 1 when freeze or pause is on.',
    labelNames: ['switch'],
    registers,
    collect() {
      this.set({ switch: 'freeze' }, sources.frozen() ? 1 : 0);
      this.set({ switch: 'pause' }, sources.paused() ? 1 : 0);
    },
  });

  // Zero series up front, so a rate() has a baseline and the alert rules see 0, not absence.
  for (const source of ALERT_SOURCES) alertsReceived.inc({ source, result: 'accepted' }, 0);
  for (const reason of SLACK_RETRY_REASONS) slackRetries.inc({ reason }, 0);
  for (const store of ['state', 'audit']) writeFailures.inc({ store }, 0);
  for (const outcome of MODEL_CALL_OUTCOMES) modelCalls.inc({ outcome }, 0);

  return {
    alertReceived(source: string, result: string) {
      alertsReceived.inc({
        source: bounded(source, ALERT_SOURCES),
        result: bounded(result, DELIVERY_RESULTS),
      });
    },
    proposalCreated(p: { disposition: unknown; rule: unknown; action: unknown }) {
      proposals.inc({
        disposition: disposition(p.disposition),
        rule: rule(p.rule),
        action: actionKind(p.action),
      });
    },
    gateRefused(reason: string) {
      gateRefusals.inc({ reason });
    },
    executed(kind: 'execution' | 'revert', action: unknown, outcome: unknown) {
      (kind === 'execution' ? executions : reverts).inc({
        action: actionKind(action),
        outcome: bounded(outcome, EXECUTION_OUTCOMES),
      });
    },
    verified(action: unknown, seconds: number) {
      verification.observe({ action: actionKind(action) }, seconds);
    },
    modelCall(outcome: (typeof MODEL_CALL_OUTCOMES)[number], seconds: number) {
      modelCalls.inc({ outcome });
      modelLatency.observe(seconds);
    },
    modelTokens(prompt: number, completion: number) {
      if (prompt > 0) modelTokens.inc({ kind: 'prompt' }, prompt);
      if (completion > 0) modelTokens.inc({ kind: 'completion' }, completion);
    },
    modelFallback(reason: string) {
      fallbacks.inc({ reason });
    },
    slackRetry(reason: (typeof SLACK_RETRY_REASONS)[number]) {
      slackRetries.inc({ reason });
    },
    storeWrite(store: 'state' | 'audit', seconds: number, ok: boolean) {
      writeLatency.observe({ store }, seconds);
      if (!ok) writeFailures.inc({ store });
    },
  };
}

export type BelayMetrics = ReturnType<typeof createBelayMetrics>;
export { OTHER };
