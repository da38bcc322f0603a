import { randomUUID } from 'node:crypto';
import type { Clock, DryRunReview, Incident, Policy, Verdict } from '../domain/index.ts';
import { mention } from '../domain/index.ts';
import type { IncidentPresenter } from './incident-presenter.ts';
import type { Notifier, UseCaseResult } from './service.ts';
import type { AuditLog, RuleRecordsStore, StateStore } from './store/index.ts';

export interface DryRunReviewDeps {
  readonly policy: Pick<Policy, 'operators'>;
  readonly records: RuleRecordsStore;
  readonly store: Pick<StateStore, 'getIncident'>;
  readonly audit: AuditLog;
  readonly notifier: Pick<Notifier, 'reviewRequest' | 'threadLine'>;
  readonly presenter: Pick<IncidentPresenter, 'line'>;
  readonly clock: Clock;
  readonly groupsOf: (user: string) => Promise<readonly string[]>;
  readonly newId?: () => string;
}

const REVIEW_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/**
 * The record a dry-run rule earns: each action it would have taken is posted in the incident's thread with
 * 👍 / 👎 ("would you have approved this?"), and each answer is kept (who, when) and audited. Who may answer:
 * the operators, and the approvers the would-have verdict named.
 */
export function createDryRunReviews(deps: DryRunReviewDeps) {
  const { records, audit, clock } = deps;

  /** Posts one would-have action for review (the pipeline calls it for each dry-run verdict). */
  async function post(incident: Incident, rule: string, verdict: Verdict): Promise<DryRunReview> {
    const at = clock.now().toISOString();
    await records.noteDryRun(rule, at);
    const review: DryRunReview = {
      id: deps.newId?.() ?? `r-${randomUUID()}`,
      rule,
      incidentId: incident.id,
      wouldHave: verdict.headline.slice(0, 3_000),
      at,
      reviewers: { users: verdict.approvers?.users ?? [], groups: verdict.approvers?.groups ?? [] },
    };
    await records.addReview(review);
    try {
      if (deps.notifier.reviewRequest) await deps.notifier.reviewRequest(incident, review);
      else await deps.notifier.threadLine(incident, `Dry-run rule ${rule} would have: ${review.wouldHave}`);
    } catch (error) {
      // The review is recorded; only its post failed. The audit (and so the weekly review) shows it.
      await audit.append({
        incidentId: incident.id,
        type: 'error',
        actor: { type: 'system', id: 'notifier' },
        summary: `Could not post the dry-run review of ${rule} in Slack: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    return review;
  }

  /** A 👍 or 👎 click: checked, recorded once, audited, and said in the thread. */
  async function answer(reviewId: string, user: string, approve: boolean): Promise<UseCaseResult> {
    if (!REVIEW_ID.test(reviewId)) {
      return {
        ok: false,
        message: 'This button does not carry a review Belay knows, so nothing was recorded.',
      };
    }
    const review = records.review(reviewId);
    if (!review) {
      return {
        ok: false,
        message: `There is no dry-run review ${reviewId}; it may belong to another Belay. Nothing was recorded.`,
      };
    }
    const groups = await deps.groupsOf(user);
    const allowed =
      [...deps.policy.operators.users, ...review.reviewers.users].includes(user) ||
      [...deps.policy.operators.groups, ...review.reviewers.groups].some((g) => groups.includes(g));
    if (!allowed) {
      const who = [
        ...new Set([...deps.policy.operators.users, ...review.reviewers.users].map(mention)),
        ...new Set(
          [...deps.policy.operators.groups, ...review.reviewers.groups].map((g) => `<!subteam^${g}>`),
        ),
      ];
      const why =
        who.length > 0
          ? `only ${who.join(', ')} may review what rule ${review.rule} would have done`
          : `nobody is named to review rule ${review.rule}: add \`operators\` or the namespace class's approvers to belay.yaml`;
      await audit.append({
        incidentId: review.incidentId,
        type: 'approval.refused',
        actor: { type: 'user', id: user },
        summary: `Dry-run review refused: ${why}`,
        data: { reviewId, rule: review.rule, approve },
      });
      return { ok: false, message: `Not recorded: ${why}.` };
    }
    const at = clock.now().toISOString();
    const done = await records.answerReview(reviewId, { approve, by: user, at });
    if (!done.ok) {
      const first = done.review?.answer;
      return {
        ok: false,
        message: first
          ? `Already answered: ${mention(first.by)} said they ${first.approve ? 'would' : 'would not'} have approved it (${first.at}). One answer per action keeps the record honest.`
          : 'This review is gone; nothing was recorded.',
      };
    }
    const words = `${mention(user)} ${approve ? 'would have approved' : 'would not have approved'} what dry-run rule ${review.rule} would have done.`;
    await audit.append({
      incidentId: review.incidentId,
      type: 'rule.reviewed',
      actor: { type: 'user', id: user },
      summary: words,
      data: { reviewId, rule: review.rule, approve, wouldHave: review.wouldHave },
    });
    await deps.presenter.line(review.incidentId, `${approve ? '👍' : '👎'} ${words}`);
    return {
      ok: true,
      message: `Recorded: you ${approve ? 'would' : 'would not'} have approved it. Thanks — this is rule ${review.rule}'s record for promotion.`,
    };
  }

  return { post, answer };
}
export type DryRunReviews = ReturnType<typeof createDryRunReviews>;
