import type { DryRunReview, ModeOverride, PromotionSettings, RuleMode } from '../domain/index.ts';

const DAY_MS = 86_400_000;

/** A rule's record, as /remediate promote shows it. */
export interface RuleRecordSummary {
  readonly rule: string;
  /** The mode it runs in now, and the policy file's. */
  readonly mode: RuleMode;
  readonly fileMode: RuleMode;
  /** Whole days since Belay first saw it in dry-run; undefined when it never ran in dry-run. */
  readonly daysInDryRun: number | undefined;
  readonly wouldHave: number;
  readonly reviewed: number;
  readonly approved: number;
  /** approved / reviewed, 0–1; undefined before the first review. */
  readonly agreement: number | undefined;
  /** Its actions reverted since its mode last changed. */
  readonly reverts: number;
  readonly outcomes: { readonly fixed: number; readonly notFixed: number; readonly postponed: number };
  readonly override?: ModeOverride;
}

export interface RuleRecordInput {
  readonly rule: string;
  readonly fileMode: RuleMode;
  readonly override: ModeOverride | undefined;
  readonly dryRunSince: string | undefined;
  readonly reviews: readonly DryRunReview[];
  readonly outcomes: readonly {
    readonly status: string;
    readonly reverted: boolean;
    readonly executedAt: string;
  }[];
  readonly now: Date;
}

/** Counts a rule's record. Pure. Reverts count only since its mode last changed: a demotion starts afresh. */
export function summarizeRuleRecord(input: RuleRecordInput): RuleRecordSummary {
  const mine = input.reviews.filter((r) => r.rule === input.rule);
  const answered = mine.filter((r) => r.answer);
  const approved = answered.filter((r) => r.answer?.approve).length;
  const since = input.override ? Date.parse(input.override.at) : Number.NEGATIVE_INFINITY;
  const count = (status: string) => input.outcomes.filter((o) => o.status === status).length;
  return {
    rule: input.rule,
    mode: input.override?.mode ?? input.fileMode,
    fileMode: input.fileMode,
    daysInDryRun:
      input.dryRunSince === undefined
        ? undefined
        : Math.floor((input.now.getTime() - Date.parse(input.dryRunSince)) / DAY_MS),
    wouldHave: mine.length,
    reviewed: answered.length,
    approved,
    agreement: answered.length === 0 ? undefined : approved / answered.length,
    reverts: input.outcomes.filter((o) => o.reverted && Date.parse(o.executedAt) >= since).length,
    outcomes: { fixed: count('fixed'), notFixed: count('not-fixed'), postponed: count('postponed') },
    ...(input.override ? { override: input.override } : {}),
  };
}

/** Why a promotion to `to` is refused, one plain sentence each; empty when the record allows it. Pure. */
export function promotionRefusals(
  record: RuleRecordSummary,
  to: RuleMode,
  settings: PromotionSettings,
): string[] {
  const refusals: string[] = [];
  if (record.mode === to) refusals.push(`rule ${record.rule} already runs in ${to}`);
  if (record.daysInDryRun === undefined) {
    refusals.push(`rule ${record.rule} has never run in dry-run, so there is no record to promote it on`);
  } else if (record.daysInDryRun < settings.minDays) {
    refusals.push(
      `it has been in dry-run ${record.daysInDryRun} day${record.daysInDryRun === 1 ? '' : 's'}; promotion needs ${settings.minDays}`,
    );
  }
  const needed = Math.round(settings.minAgreement * 100);
  if (record.agreement === undefined) {
    refusals.push(
      'nobody has reviewed what it would have done yet (the 👍 / 👎 buttons in incident threads)',
    );
  } else if (record.agreement < settings.minAgreement) {
    refusals.push(
      `people would have approved ${Math.round(record.agreement * 100)}% of its reviewed actions (${record.approved} of ${record.reviewed}); promotion needs ${needed}%`,
    );
  }
  if (record.reverts > 0) {
    refusals.push(`${record.reverts} of its actions ${record.reverts === 1 ? 'was' : 'were'} reverted`);
  }
  return refusals;
}
