export { auditMessage } from './audit-message.ts';
export { explainMessage } from './explain-message.ts';
export { helpMessage } from './help-message.ts';
export { incidentMessage } from './incident-message.ts';
export { type Block, capBlocks, cut, escapeText, LIMITS, type SlackMessage } from './limits.ts';
export { promoteMessage } from './promote-message.ts';
export {
  ACTION_IDS,
  CONTROLS_BLOCK_ID,
  proposalControls,
  STATUS_BLOCK_ID,
  statusLine,
} from './proposal-controls.ts';
export { refreshCard } from './refresh-card.ts';
export { replayMessage } from './replay-message.ts';
export { errorMessage, resultMessage } from './result-message.ts';
export { REVIEW_ACTION_IDS, REVIEW_BLOCK_ID, reviewMessage } from './review-message.ts';
export { statusMessage } from './status-message.ts';
export { threadLineMessage } from './thread-line.ts';
export { isProductionCritical } from './verdict-text.ts';
export { type WeeklyDigest, weeklyDigestMessage } from './weekly-digest.ts';
export { windowsMessage } from './windows-message.ts';
