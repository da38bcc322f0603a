import type { ExecutionGate } from './execution-gate.ts';
import type { OutcomeTracker } from './outcome-tracker.ts';
import { type DemotionDeps, demoteRule } from './rule-demotion.ts';

/**
 * The gate, with what its results teach about rules: every action that ran is measured against its alert,
 * and an automatic action whose verification failed, or that was reverted, demotes its rule at once. Every
 * entry point (a click, an auto rule, the pipeline's automatic revert) goes through the gate, so none is missed.
 */
export function withRuleRecords(
  gate: ExecutionGate,
  deps: DemotionDeps & { readonly outcomes: OutcomeTracker },
): ExecutionGate {
  return {
    ...gate,
    async run(proposalId, request) {
      const result = await gate.run(proposalId, request);
      const ran = result.outcome?.status === 'succeeded' || result.outcome?.status === 'verification-failed';
      if (result.proposal && ran) {
        await deps.outcomes.actionRan(result.proposal);
        if (result.outcome?.status === 'verification-failed')
          await demoteRule(deps, result.proposal, 'its automatic action failed verification');
      }
      return result;
    },
    async revert(proposalId, request) {
      const result = await gate.revert(proposalId, request);
      if (result.ok && result.proposal?.state === 'reverted') {
        await deps.outcomes.reverted(result.proposal);
        const by = request.by.type === 'user' ? `<@${request.by.id}>` : 'Belay';
        await demoteRule(deps, result.proposal, `its automatic action was reverted by ${by}`);
      }
      return result;
    },
  };
}
