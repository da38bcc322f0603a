import type { types } from '@slack/bolt';
import { describeAction, hasInverse, type Proposal, type Verdict } from '../../domain/index.ts';
import { type Block, context, cut, LIMITS, plain, utcTime } from './limits.ts';
import { escapeKeepingMentions, isProductionCritical } from './verdict-text.ts';

/** Buttons carry only the proposal id; the action ids say which use-case a click asks for. */
export const ACTION_IDS = {
  approve: 'belay.approve',
  reject: 'belay.reject',
  revert: 'belay.revert',
} as const;
export const CONTROLS_BLOCK_ID = 'belay.controls';
export const STATUS_BLOCK_ID = 'belay.status';

/** The proposal's state as one line, and the buttons its state and verdict allow (none when nothing can be done). */
export function proposalControls(proposal: Proposal, verdict: Verdict, now?: Date): Block[] {
  const status: Block = { ...context(statusLine(proposal, now, verdict)), block_id: STATUS_BLOCK_ID };
  const buttons = buttonsFor(proposal, verdict);
  if (buttons.length === 0 || proposal.id.length > LIMITS.buttonValue) return [status];
  return [status, { type: 'actions', block_id: CONTROLS_BLOCK_ID, elements: buttons }];
}

function buttonsFor(proposal: Proposal, verdict: Verdict): types.Button[] {
  const critical = isProductionCritical(verdict);
  if (proposal.state === 'proposed') {
    const decidable =
      !verdict.dryRun && (verdict.disposition === 'suggest' || verdict.disposition === 'approval');
    if (!decidable) return [];
    return [
      {
        type: 'button',
        action_id: ACTION_IDS.approve,
        text: plain('Approve', LIMITS.buttonText),
        style: 'primary',
        value: proposal.id,
        ...(critical ? { confirm: confirmDialog('Approve', proposal) } : {}),
      },
      {
        type: 'button',
        action_id: ACTION_IDS.reject,
        text: plain('Reject', LIMITS.buttonText),
        value: proposal.id,
      },
    ];
  }
  if (proposal.state === 'succeeded' && hasInverse(proposal.action.kind)) {
    return [
      {
        type: 'button',
        action_id: ACTION_IDS.revert,
        text: plain('Revert', LIMITS.buttonText),
        style: 'danger',
        value: proposal.id,
        ...(critical ? { confirm: confirmDialog('Revert', proposal) } : {}),
      },
    ];
  }
  return [];
}

function confirmDialog(verb: 'Approve' | 'Revert', proposal: Proposal): types.ConfirmationDialog {
  const what = describeAction(proposal.action);
  const text =
    verb === 'Approve'
      ? `This will ${what} in a production-critical namespace. Belay checks policy again with fresh facts before anything runs.`
      : `This undoes "${what}" in a production-critical namespace, through the same checks.`;
  return {
    title: plain(`${verb} in production?`, LIMITS.confirmTitle),
    text: { type: 'plain_text', text: cut(text, LIMITS.confirmText) },
    confirm: plain(`${verb} and run`, LIMITS.confirmButton),
    deny: plain('Cancel', LIMITS.confirmButton),
    style: 'danger',
  };
}

/**
 * "Approved by @alice at 02:20 UTC", "Expired at 02:47 UTC — nothing ran": where the proposal stands. With
 * the verdict, a proposal nobody can decide (blocked, forbidden, dry run) says so instead of "waiting".
 */
export function statusLine(proposal: Proposal, now?: Date, verdict?: Verdict): string {
  if (proposal.state === 'proposed' && verdict) {
    const undecidable = undecidableLine(verdict, now);
    if (undecidable) return escapeKeepingMentions(undecidable);
  }
  const last = [...proposal.history].reverse().find((h) => h.to === proposal.state);
  const by = last ? (last.by.type === 'user' ? `<@${last.by.id}>` : last.by.id) : undefined;
  const at = last ? utcTime(last.at, now) : utcTime(proposal.updatedAt, now);
  const note = last?.note ? `: ${last.note}` : '';
  const outcome = proposal.outcome ? `: ${proposal.outcome.message}` : '';
  const line = {
    proposed: `Waiting for a decision · expires ${utcTime(proposal.expiresAt, now)}`,
    approved: `Approved by ${by ?? 'someone'} at ${at} · running through the execution gate`,
    executing: `Running since ${at}${by ? ` (approved by ${by})` : ''}`,
    succeeded: `:white_check_mark: Done at ${at}${outcome}`,
    failed: `:x: Failed at ${at}${outcome}`,
    rejected: `Rejected by ${by ?? 'someone'} at ${at}${note}`,
    expired: `Expired at ${at}: nothing ran. Ask again with /remediate propose if it is still needed.`,
    reverted: `:leftwards_arrow_with_hook: Reverted by ${by ?? 'someone'} at ${at}${outcome}`,
    superseded: `Nothing to revert (found at ${at})${note}`,
  }[proposal.state];
  return escapeKeepingMentions(line);
}

/** Why a proposed action has no buttons, and until when; undefined when it is waiting for a decision. */
function undecidableLine(verdict: Verdict, now?: Date): string | undefined {
  if (verdict.disposition === 'blocked') {
    // Blocked until the last of its blocks lifts; one with no known end (a freeze, a pause) keeps it open.
    const blocks = verdict.reasons.filter((r) => r.effect === 'blocked');
    const ends = blocks.map((r) => r.until);
    const until = ends.every((e): e is string => e !== undefined)
      ? ends.reduce<string | undefined>((a, b) => (a && Date.parse(a) >= Date.parse(b) ? a : b), undefined)
      : undefined;
    return until
      ? `:no_entry: Blocked until ${utcTime(until, now)}: nothing can be approved before then. Ask again with /remediate propose after it lifts.`
      : ':no_entry: Blocked, with no end known (it lasts until someone lifts it): nothing can be approved. Ask again with /remediate propose once it is lifted.';
  }
  if (verdict.disposition === 'forbidden')
    return ':no_entry_sign: Forbidden: Belay never runs this; a person has to do it by hand.';
  if (verdict.dryRun)
    return 'Dry run: this is what the rule would have done. Nothing runs and there is nothing to decide.';
  return undefined;
}
