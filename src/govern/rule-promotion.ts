import type { z } from 'zod';
import { promotionRefusals, type RuleRecordSummary, summarizeRuleRecord } from '../decide/index.ts';
import type { Clock, Policy, RuleMode } from '../domain/index.ts';
import { closestMatch, refinePolicy } from '../domain/index.ts';
import type { IncidentPresenter } from './incident-presenter.ts';
import { describeRuleRecord } from './rule-record-text.ts';
import type { PromoteRequest, UseCaseResult } from './service.ts';
import type { AuditLog, RuleRecordsStore, StateStore } from './store/index.ts';
import { describeAuthority, switchAuthority } from './switch-check.ts';

export interface PromotionDeps {
  readonly policy: Policy;
  readonly records: RuleRecordsStore;
  readonly store: Pick<StateStore, 'freeze'>;
  readonly audit: AuditLog;
  readonly presenter: Pick<IncidentPresenter, 'announce'>;
  readonly clock: Clock;
  readonly groupsOf: (user: string) => Promise<readonly string[]>;
  /**
   * The seam for replay: a summary of what the rule would have done over past alerts, shown with its record.
   * Absent (or answering undefined) shows the record alone.
   */
  readonly replaySummary?: (rule: string) => Promise<string | undefined>;
}

export type PromoteResult = UseCaseResult & { record?: RuleRecordSummary };

/**
 * `/remediate promote RULE MODE`. Shows the rule's record and refuses unless it earned the mode: long enough in
 * dry-run, enough humans agreeing with what it would have done, nothing of it reverted. Only those who may
 * resume execution (the operators) may promote. The promotion is an override in the state: the policy file
 * stays the source of the rule, and decide reads the mode through the facts.
 */
export function createRulePromotion(deps: PromotionDeps) {
  const { policy, records, audit, clock } = deps;

  function record(rule: string): RuleRecordSummary | undefined {
    const fileRule = policy.rules.find((r) => r.name === rule);
    if (!fileRule) return undefined;
    return summarizeRuleRecord({
      rule,
      fileMode: fileRule.mode,
      override: records.override(rule),
      dryRunSince: records.dryRunSince(rule),
      reviews: records.reviews(rule),
      outcomes: records.outcomes({ rule }),
      now: clock.now(),
    });
  }

  async function promote(request: PromoteRequest): Promise<PromoteResult> {
    const summary = record(request.rule);
    if (!summary) {
      const names = policy.rules.map((r) => r.name);
      const near = closestMatch(request.rule, names);
      return {
        ok: false,
        message: `There is no rule "${request.rule.slice(0, 80)}" in the policy${near ? `; did you mean ${near}?` : '.'} Rules: ${names.join(', ') || 'none'}.`,
      };
    }
    const replay = deps.replaySummary ? await deps.replaySummary(request.rule) : undefined;
    const shown = [...describeRuleRecord(summary), ...(replay ? [replay] : [])].join('\n');
    const refuse = async (why: string[]) => {
      await audit.append({
        type: 'approval.refused',
        actor: { type: 'user', id: request.user },
        summary: `Promotion of ${request.rule} to ${request.mode} refused: ${why.join('; ')}`,
        data: { rule: request.rule, to: request.mode, refusals: why },
      });
      return {
        ok: false,
        message: `${shown}\nNot promoted to ${request.mode}: ${why.join('; ')}.`,
        record: summary,
      };
    };

    const who = switchAuthority(policy, 'resume', deps.store.freeze());
    const groups = await deps.groupsOf(request.user);
    const allowed = who.anyone || who.users.has(request.user) || groups.some((g) => who.groups.has(g));
    if (!allowed) {
      return refuse([
        who.nobody
          ? `nobody may promote rules: ${who.nobody}`
          : `only ${describeAuthority(who)} may promote rules; ask one of them`,
      ]);
    }
    const shape = shapeProblems(policy, request.rule, request.mode);
    const refusals = [...shape, ...promotionRefusals(summary, request.mode, policy.promotion)];
    if (refusals.length > 0) return refuse(refusals);

    const at = clock.now().toISOString();
    await records.setMode({
      rule: request.rule,
      mode: request.mode,
      previous: summary.mode,
      change: 'promoted',
      by: { type: 'user', id: request.user },
      at,
      why: `record: ${summary.daysInDryRun ?? 0} days in dry-run, ${Math.round((summary.agreement ?? 0) * 100)}% agreement over ${summary.reviewed} reviews, no reverts`,
    });
    const words = `Rule ${request.rule} promoted from ${summary.mode} to ${request.mode} by <@${request.user}>. The policy file still says ${summary.fileMode}; the promotion is kept in Belay's state.`;
    await audit.append({
      type: 'rule.promoted',
      actor: { type: 'user', id: request.user },
      summary: words,
      data: { rule: request.rule, from: summary.mode, to: request.mode, record: summary },
    });
    await deps.presenter.announce(words);
    return { ok: true, message: `${shown}\n${words}`, record: { ...summary, mode: request.mode } };
  }

  return { promote, record };
}
export type RulePromotion = ReturnType<typeof createRulePromotion>;

/** What the policy file's own checks say of the rule in that mode (auto of a restart, auto in production). */
function shapeProblems(policy: Policy, rule: string, mode: RuleMode): string[] {
  const rules = policy.rules.map((r) => (r.name === rule ? { ...r, mode } : r));
  const index = rules.findIndex((r) => r.name === rule);
  const problems: string[] = [];
  const ctx = {
    addIssue: (issue: { path?: PropertyKey[]; message?: string }) => {
      if (issue.path?.[0] === 'rules' && issue.path[1] === index && issue.message)
        problems.push(issue.message);
    },
    value: policy,
  } as unknown as z.RefinementCtx;
  refinePolicy({ ...policy, rules }, ctx);
  return problems;
}
