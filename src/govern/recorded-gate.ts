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
  // What ran has run: a record that cannot be written is audited, never turned into a failed click.
  const recording = async (proposalId: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      await deps.audit.append({
        proposalId,
        type: 'error',
        actor: { type: 'system', id: 'rule-records' },
        summary: `The rule's record was not updated after this action: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };
  return {
    ...gate,
    async run(proposalId, request) {
      const result = await gate.run(proposalId, request);
      const ran = result.outcome?.status === 'succeeded' || result.outcome?.status === 'verification-failed';
      const proposal = result.proposal;
      if (proposal && ran) {
        await recording(proposal.id, async () => {
          await deps.outcomes.actionRan(proposal);
          if (result.outcome?.status === 'verification-failed')
            await demoteRule(deps, proposal, 'its automatic action failed verification');
        });
      }
      return result;
    },
    async revert(proposalId, request) {
      const result = await gate.revert(proposalId, request);
      const proposal = result.proposal;
      if (result.ok && proposal?.state === 'reverted') {
        const by = request.by.type === 'user' ? `<@${request.by.id}>` : 'Belay';
        await recording(proposal.id, async () => {
          await deps.outcomes.reverted(proposal);
          await demoteRule(deps, proposal, `its automatic action was reverted by ${by}`);
        });
      }
      return result;
    },
  };
}
