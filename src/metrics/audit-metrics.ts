import type { AuditEvent } from '../domain/index.ts';
import type { BelayMetrics } from './belay-metrics.ts';
import { bounded, fallbackReason, GATE_REFUSAL_REASONS } from './label-values.ts';

type Data = Record<string, unknown>;
const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' ? (value as Data)[key] : undefined;

/**
 * The audit trail already records every decision, refusal and execution as it happens, so the counters
 * are read off it: one place in the composition root, and no business module imports metrics.
 * `actionOf` finds a proposal's action kind (events after the first do not repeat it).
 */
export function recordAuditEvent(
  metrics: BelayMetrics,
  event: AuditEvent,
  actionOf: (proposalId: string | undefined) => string | undefined,
): void {
  const data = event.data;
  switch (event.type) {
    case 'proposal.created': {
      const verdict = data.verdict;
      metrics.proposalCreated({
        disposition: field(verdict, 'disposition'),
        rule: field(field(verdict, 'rule'), 'name'),
        action: field(data.action, 'kind'),
      });
      return;
    }
    case 'approval.refused':
      metrics.gateRefused(
        data.move !== undefined ? 'switch' : bounded(data.reason ?? 'not_allowed', GATE_REFUSAL_REASONS),
      );
      return;
    case 'execution.finished':
    case 'revert.finished': {
      const kind = event.type === 'execution.finished' ? 'execution' : 'revert';
      const action = actionOf(event.proposalId);
      const outcome = data.outcome;
      metrics.executed(kind, action, data.interruptedIn ? 'interrupted' : field(outcome, 'status'));
      const waited = field(field(outcome, 'verification'), 'waitedMs');
      if (kind === 'execution' && typeof waited === 'number') metrics.verified(action, waited / 1_000);
      return;
    }
    case 'model.reasoning': {
      const origin = field(data.result, 'origin');
      const reason = field(origin, 'fallbackReason');
      if (field(origin, 'type') === 'deterministic' && reason !== undefined)
        metrics.modelFallback(fallbackReason(reason));
      return;
    }
    default:
      return;
  }
}
