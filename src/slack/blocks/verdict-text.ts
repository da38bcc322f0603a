import type { Disposition, Verdict } from '../../domain/index.ts';
import {
  approversLine,
  headlineLine,
  type Markup,
  openWindowLines,
  rateBudgetLines,
  reasonLines,
  ruleLines,
} from '../../govern/explain-verdict.ts';
import { escapeText, utcTime } from './limits.ts';

export const MARK: { readonly [K in Disposition | 'info']: string } = {
  forbidden: ':no_entry:',
  blocked: ':raised_hand:',
  approval: ':closed_lock_with_key:',
  suggest: ':bulb:',
  auto: ':gear:',
  info: '·',
};

/**
 * Escapes text for mrkdwn but keeps user and group mentions Belay itself wrote (`<@U…>`, `<!subteam^S…>`),
 * so a reason can name an approver while a freeze reason typed as `<!channel>` pings nobody.
 */
export function escapeKeepingMentions(text: string): string {
  return escapeText(text).replace(/&lt;(@[UW][A-Z0-9]{2,20}|!subteam\^S[A-Z0-9]{2,20})&gt;/g, '<$1>');
}

/** Slack's mrkdwn for the words govern/explain-verdict.ts writes (belay explain prints them as plain text). */
export const MRKDWN: Markup = {
  mark: (effect) => MARK[effect],
  strong: (text) => `*${text}*`,
  emphasis: (text) => `_${text}_`,
  code: (text) => `\`${text}\``,
  text: escapeText,
  mentions: escapeKeepingMentions,
  met: (met) => (met ? ':white_check_mark:' : ':x:'),
  time: utcTime,
};

/** `:raised_hand: *Blocked: restart pod … — Inside backup window … until 02:45 UTC*`. */
export const verdictHeadline = (verdict: Verdict): string => headlineLine(verdict, MRKDWN);
export const verdictReasons = (verdict: Verdict, now?: Date): string[] => reasonLines(verdict, MRKDWN, now);
export const ruleConditions = (verdict: Verdict): string[] => ruleLines(verdict, MRKDWN);
export const openWindows = (verdict: Verdict, now?: Date): string[] => openWindowLines(verdict, MRKDWN, now);
export const rateBudgetLeft = (verdict: Verdict): string[] => rateBudgetLines(verdict, MRKDWN);
export const approversText = approversLine;

/**
 * Production-critical targets get a confirmation dialog. The verdict names its namespace class; decide/
 * adds a `tier:<class>` approval reason exactly when that class is critical, and the two-person rule only
 * holds for critical classes, so either tells us.
 */
export function isProductionCritical(verdict: Verdict): boolean {
  return (
    verdict.approvers?.twoPerson === true ||
    verdict.reasons.some((r) => r.rule === `tier:${verdict.namespaceClass}` && r.effect === 'approval')
  );
}
