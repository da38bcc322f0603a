import type { Proposal } from '../domain/index.ts';

/** "Already approved by <@U1> at 02:18": what a second click, or a click on a finished proposal, is told. */
export function alreadyMessage(proposal: Proposal): string {
  const last = proposal.history.at(-1);
  const who = last ? ` by ${last.by.type === 'user' ? `<@${last.by.id}>` : last.by.id} at ${last.at}` : '';
  const words: Record<Proposal['state'], string> = {
    proposed: 'is still waiting for a decision',
    approved: `was already approved${who}`,
    executing: `is already executing (approved${who})`,
    succeeded: `already ran successfully${who}`,
    failed: `already ran and failed${who}`,
    rejected: `was rejected${who}`,
    expired: `expired${who}`,
    reverted: `was already reverted${who}`,
    superseded: `cannot be reverted: the target changed after Belay acted (found${who}); ask for a fresh proposal with /remediate propose`,
  };
  return `This proposal ${words[proposal.state]}; nothing more was done.`;
}
