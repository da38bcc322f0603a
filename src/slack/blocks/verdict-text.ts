import { type Disposition, formatDuration, type Reason, type Verdict } from '../../domain/index.ts';
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

/** `:raised_hand: *Blocked: restart pod … — Inside backup window … until 02:45 UTC*`. */
export function verdictHeadline(verdict: Verdict): string {
  return `${MARK[verdict.disposition]} *${escapeKeepingMentions(verdict.headline)}*`;
}

/** Every reason, strictest first, each naming its rule: the 3 AM reader sees why, and which rule to look at. */
export function verdictReasons(verdict: Verdict, now?: Date): string[] {
  return verdict.reasons.map((reason) => reasonLine(reason, now));
}

function reasonLine(reason: Reason, now?: Date): string {
  const until =
    reason.until && !reason.message.includes('until') ? ` (until ${utcTime(reason.until, now)})` : '';
  return `${MARK[reason.effect]} ${escapeKeepingMentions(reason.message)}${until} \`${escapeText(reason.rule)}\``;
}

/** The rule's compound conditions, met or not, when a rule asked for the action. */
export function ruleConditions(verdict: Verdict): string[] {
  if (!verdict.rule) return [];
  const head = `Rule *${escapeText(verdict.rule.name)}* (${verdict.rule.mode}) ${verdict.rule.applies ? 'applies' : 'does not apply'}:`;
  return [
    head,
    ...verdict.rule.conditions.map(
      (c) => `${c.met ? ':white_check_mark:' : ':x:'} ${escapeText(c.condition)} — ${escapeText(c.detail)}`,
    ),
  ];
}

/** The windows that block, from the verdict's reasons; empty when none is open. */
export function openWindows(verdict: Verdict, now?: Date): string[] {
  return verdict.reasons
    .filter((r) => r.rule.startsWith('window:'))
    .map(
      (r) =>
        `${escapeText(r.rule.slice('window:'.length))}${r.until ? ` until ${utcTime(r.until, now)}` : ''}`,
    );
}

export function rateBudgetLeft(verdict: Verdict): string[] {
  return verdict.rateBudget.map(
    (b) =>
      `${b.remaining} of ${b.limit} per ${b.scope} per ${formatDuration(b.windowMs)} (${escapeText(b.key)})`,
  );
}

export function approversText(verdict: Verdict): string | undefined {
  const approvers = verdict.approvers;
  if (!approvers) return undefined;
  const who = [...approvers.users.map((u) => `<@${u}>`), ...approvers.groups.map((g) => `<!subteam^${g}>`)];
  return `${who.length ? who.join(', ') : 'anyone in the channel'}${approvers.twoPerson ? ' (not the requester)' : ''}`;
}

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
