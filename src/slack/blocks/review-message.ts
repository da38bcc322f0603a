import type { DryRunReview } from '../../domain/index.ts';
import { cut, LIMITS, message, plain, type SlackMessage, section } from './limits.ts';
import { escapeKeepingMentions } from './verdict-text.ts';

/** 👍 / 👎 on a dry-run rule's would-have action: the buttons carry only the review id. */
export const REVIEW_ACTION_IDS = {
  approve: 'belay.review.approve',
  disapprove: 'belay.review.disapprove',
} as const;
export const REVIEW_BLOCK_ID = 'belay.review';

/** "Dry-run rule X would have …: would you have approved this?" with 👍 / 👎. */
export function reviewMessage(review: DryRunReview): SlackMessage {
  const text = `Dry-run rule ${review.rule} would have: ${review.wouldHave}`;
  const buttons =
    review.id.length > LIMITS.buttonValue
      ? []
      : [
          {
            type: 'actions' as const,
            block_id: REVIEW_BLOCK_ID,
            elements: [
              {
                type: 'button' as const,
                action_id: REVIEW_ACTION_IDS.approve,
                text: plain('👍 I would have approved', LIMITS.buttonText),
                value: review.id,
              },
              {
                type: 'button' as const,
                action_id: REVIEW_ACTION_IDS.disapprove,
                text: plain('👎 I would not', LIMITS.buttonText),
                value: review.id,
              },
            ],
          },
        ];
  return message(`${text} — would you have approved this?`, [
    section(
      cut(
        `${escapeKeepingMentions(text)}\n*Would you have approved this?* Nothing ran; your answer goes into the rule's record for promotion.`,
        LIMITS.sectionText,
      ),
    ),
    ...buttons,
  ]);
}
