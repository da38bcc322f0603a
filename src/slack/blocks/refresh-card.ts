import type { Proposal } from '../../domain/index.ts';
import type { Block } from './limits.ts';
import { CONTROLS_BLOCK_ID, proposalControls, STATUS_BLOCK_ID } from './proposal-controls.ts';

/**
 * The card after a click: the message's own blocks with the status line and buttons redrawn for the
 * proposal as it now stands (no Approve left once approved, Revert once done). Everything else is kept.
 */
export function refreshCard(blocks: readonly Block[], proposal: Proposal, now?: Date): Block[] {
  const controls = proposalControls(proposal, proposal.verdict, now);
  const kept = blocks.filter((b) => b.block_id !== STATUS_BLOCK_ID && b.block_id !== CONTROLS_BLOCK_ID);
  const at = blocks.findIndex((b) => b.block_id === STATUS_BLOCK_ID || b.block_id === CONTROLS_BLOCK_ID);
  // The footer is the last block; controls go just above it when the card had none.
  const insertAt = at >= 0 ? at : Math.max(0, kept.length - 1);
  return [...kept.slice(0, insertAt), ...controls, ...kept.slice(insertAt)];
}
