import type { DryRunReviews } from './dry-run-reviews.ts';
import type { FactsSource } from './execution-gate.ts';
import type { RulePromotion } from './rule-promotion.ts';
import type { RemediationService } from './service.ts';
import type { RuleRecordsStore } from './store/index.ts';

/** The service with promotion and dry-run reviews, and a status that lists the rules not in their file's mode. */
export function withRuleRecordUseCases(
  service: RemediationService,
  deps: { promotion: RulePromotion; reviews: DryRunReviews; records: RuleRecordsStore },
): RemediationService {
  return {
    ...service,
    promote: (request) => deps.promotion.promote(request),
    reviewDryRun: (reviewId, user, approve) => deps.reviews.answer(reviewId, user, approve),
    async status() {
      const report = await service.status();
      const overrides = Object.keys(deps.records.modes()).flatMap(
        (rule) => deps.records.override(rule) ?? [],
      );
      return overrides.length > 0 ? { ...report, ruleModes: overrides } : report;
    },
  };
}

/** Facts that carry the promoted and demoted modes, so every decision (pipeline, gate, explain) uses them. */
export function withRuleModes(facts: FactsSource, records: Pick<RuleRecordsStore, 'modes'>): FactsSource {
  return async (action, context) => {
    const gathered = await facts(action, context);
    const modes = records.modes();
    return Object.keys(modes).length > 0 ? { ...gathered, ruleModes: modes } : gathered;
  };
}
