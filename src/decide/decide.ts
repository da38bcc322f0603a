import type {
  Action,
  Alert,
  ConditionResult,
  Disposition,
  Facts,
  NamespaceClass,
  Origin,
  Policy,
  Reason,
  Rule,
  Verdict,
} from '../domain/index.ts';
import { CATALOG, classifyActionRequest, hasInverse, mention } from '../domain/index.ts';
import { blocks } from './blocks.ts';
import { evaluateConditions } from './conditions.ts';
import { finish } from './finish-verdict.ts';
import { namespaceClassOf } from './namespace-class.ts';
import { noveltyKey } from './novelty.ts';
import { observedRestartEntries, rateBudgets } from './rate-limit.ts';
import { describeReasonTime } from './reason-time.ts';
import { recurringPatternReasons } from './recurring-pattern-reason.ts';

/** What is asked for, by whom, and because of which alert. `request` is untrusted until classified here. */
export interface Candidate {
  readonly request: unknown;
  readonly origin: Origin;
  readonly alert?: Alert;
}

/**
 * The policy engine: (candidate, facts, time) → verdict. Pure and total: it reads nothing but its arguments,
 * never throws on any input, and the same arguments always give the same verdict. Every reason that applies
 * is listed, strictest first; the disposition is the strictest any of them demands.
 */
export function decide(policy: Policy, candidate: Candidate, facts: Facts, now: Date): Verdict {
  const decidedAt = now.toISOString();
  const nsClass = namespaceClassOf(policy, facts.namespace, facts.namespaceLabels);
  const classified = classifyActionRequest(candidate.request);
  if (classified.type !== 'action') {
    const reason: Reason =
      classified.type === 'forbidden'
        ? {
            rule: classified.rule,
            effect: 'forbidden',
            message: `Belay will not ${classified.requested || 'do that'}: ${classified.reason}. A human must do it, if it should be done at all.`,
          }
        : {
            rule: 'invalid-request',
            effect: 'forbidden',
            message: `The request is malformed (${classified.problems.join('; ')}); nothing will run. Ask again with a catalog action and a full target.`,
          };
    return finish({ reasons: [reason], nsClass, decidedAt, dryRun: false, policy, rateBudget: [] });
  }
  const action = classified.action;
  const reasons: Reason[] = [];
  const origin = candidate.origin;
  const rule = origin.type === 'rule' ? policy.rules.find((r) => r.name === origin.rule) : undefined;
  const ruleReport = rule ? evaluateRule(rule, candidate.alert, facts, nsClass.name, now) : undefined;

  reasons.push(...targetScope(action, facts), ...safeKeys(policy, action));
  // The tiers first: when several reasons ask for approval, the headline names the namespace or the kind.
  reasons.push(...floors(policy, action, facts, nsClass));
  reasons.push(...baseTier(candidate.origin, rule, ruleReport));
  reasons.push(...autoBreakers(policy, action, facts, reasons));
  reasons.push(...recurringPatternReasons(facts, now));
  reasons.push(...blocks(action, facts, now));

  const observed = observedRestartEntries(facts, now);
  const counted = observed.length > 0 ? [...facts.ledger, ...observed] : facts.ledger;
  const rateBudget = rateBudgets(policy.rateLimits, action, facts.owner, counted, now);
  for (const budget of rateBudget.filter((b) => b.remaining === 0)) {
    const last = budget.last?.description
      ? ` The last one: ${budget.last.description}.`
      : budget.last
        ? ` The last one ran at ${describeReasonTime(budget.last.at)} (proposal ${budget.last.proposalId}).`
        : '';
    const until = budget.nextSlotAt
      ? ` The next slot frees at ${describeReasonTime(budget.nextSlotAt)}.`
      : '';
    reasons.push({
      rule: `rate-limit:${budget.scope}`,
      effect: 'blocked',
      message: `Rate limit reached: ${budget.limit} per ${budget.scope} per ${Math.round(budget.windowMs / 60_000)} min for ${budget.key}.${last}${until}`,
      ...(budget.nextSlotAt ? { until: budget.nextSlotAt } : {}),
    });
  }

  return finish({
    reasons,
    nsClass,
    decidedAt,
    dryRun: rule?.mode === 'dry-run',
    policy,
    rateBudget,
    action,
    noveltyKey: noveltyKey(action, facts.owner),
    ...(rule && ruleReport ? { rule: { name: rule.name, mode: rule.mode, ...ruleReport } } : {}),
  });
}

function evaluateRule(rule: Rule, alert: Alert | undefined, facts: Facts, nsClass: string, now: Date) {
  const conditions: ConditionResult[] = evaluateConditions(rule, alert, facts, nsClass, now);
  return { applies: conditions.every((c) => c.met), conditions };
}

/** A request for one namespace cannot act in another: the facts were gathered for this target only. */
function targetScope(action: Action, facts: Facts): Reason[] {
  const t = action.target;
  if (t.cluster === facts.cluster && t.namespace === facts.namespace) return [];
  return [
    {
      rule: 'target-scope',
      effect: 'forbidden',
      message: `The action targets ${t.cluster}/${t.namespace} but the incident is in ${facts.cluster}/${facts.namespace}; Belay only acts where the incident is.`,
    },
  ];
}

function safeKeys(policy: Policy, action: Action): Reason[] {
  if (action.kind !== 'patch-configmap') return [];
  const entry = policy.configMaps.find(
    (c) => c.namespace === action.target.namespace && c.name === action.target.name,
  );
  const unsafe = Object.keys(action.data).filter((key) => !entry?.safeKeys.includes(key));
  if (unsafe.length === 0) return [];
  return [
    {
      rule: 'configmap-safe-keys',
      effect: 'forbidden',
      message: `${unsafe.join(', ')} ${unsafe.length === 1 ? 'is' : 'are'} not declared safe for ConfigMap ${action.target.namespace}/${action.target.name}; Belay only changes keys listed under configMaps in the policy.`,
    },
  ];
}

/** Where the request starts: a rule's mode when all its conditions hold; a human decision otherwise. */
function baseTier(
  origin: Origin,
  rule: Rule | undefined,
  report: { applies: boolean; conditions: ConditionResult[] } | undefined,
): Reason[] {
  if (origin.type !== 'rule') {
    const who =
      origin.type === 'manual'
        ? `requested by ${mention(origin.user)}`
        : origin.type === 'model'
          ? 'proposed by the model'
          : `proposed by the ${origin.rule} check`;
    return [{ rule: `origin:${origin.type}`, effect: 'suggest', message: `Action ${who}; a human decides.` }];
  }
  if (!rule || !report) {
    return [
      {
        rule: `rule:${origin.rule}`,
        effect: 'approval',
        message: `Rule ${origin.rule} is no longer in the policy; an approver must decide.`,
      },
    ];
  }
  if (report.applies) {
    const effect: Disposition =
      rule.mode === 'auto' ? 'auto' : rule.mode === 'approval' ? 'approval' : 'suggest';
    return [
      {
        rule: `rule:${rule.name}`,
        effect,
        message: `Rule ${rule.name} applies (mode ${rule.mode}): every condition holds.`,
      },
    ];
  }
  const unmet = report.conditions.filter((c) => !c.met).map((c) => `${c.condition} (${c.detail})`);
  return [
    {
      rule: `rule:${rule.name}`,
      effect: 'approval',
      message: `Rule ${rule.name} does not apply: ${unmet.join('; ')}. An approver must decide.`,
    },
  ];
}

/** The tiers: what needs an authorised approver however the request arrived. */
function floors(policy: Policy, action: Action, facts: Facts, nsClass: NamespaceClass): Reason[] {
  const reasons: Reason[] = [];
  if (nsClass.critical) {
    reasons.push({
      rule: `tier:${nsClass.name}`,
      effect: 'approval',
      message: `Namespace ${facts.namespace} is ${nsClass.name}: every action there needs an approver.`,
    });
  }
  const workloadKind =
    action.kind === 'restart-pod'
      ? facts.owner?.kind
      : 'workloadKind' in action.target
        ? action.target.workloadKind
        : undefined;
  if (workloadKind === 'StatefulSet') {
    reasons.push({
      rule: 'tier:statefulset',
      effect: 'approval',
      message: 'It touches a StatefulSet, which holds state: an approver must decide.',
    });
  }
  if (policy.novelty && !facts.approvedBefore.includes(noveltyKey(action, facts.owner))) {
    reasons.push({
      rule: 'novelty',
      effect: 'approval',
      message: `Belay has never had ${action.kind} approved for a ${noveltyKey(action, facts.owner).split('@')[1]} before: the first one needs an approver.`,
    });
  }
  for (const tier of policy.tiers) {
    if (tier.namespaceClass && tier.namespaceClass !== nsClass.name) continue;
    if (tier.workloadKind && tier.workloadKind !== (workloadKind ?? 'Pod')) continue;
    if (tier.actions && !tier.actions.includes(action.kind)) continue;
    const scope = [
      tier.namespaceClass && `class ${tier.namespaceClass}`,
      tier.workloadKind,
      tier.actions?.join('/'),
    ]
      .filter(Boolean)
      .join(', ');
    reasons.push({
      rule: `tier:${scope || 'all'}`,
      effect: tier.tier,
      message: `The policy's tier for ${scope || 'every action'} is ${tier.tier}.`,
    });
  }
  return reasons;
}

/** Auto is only ever a promotion; these take it back. */
function autoBreakers(policy: Policy, action: Action, facts: Facts, soFar: readonly Reason[]): Reason[] {
  if (!soFar.some((r) => r.effect === 'auto')) return [];
  const reasons: Reason[] = [];
  if (!hasInverse(action.kind)) {
    reasons.push({
      rule: 'auto:no-inverse',
      effect: 'suggest',
      message: `${CATALOG[action.kind].title} cannot be reverted, so it never runs without a human.`,
    });
  }
  if (facts.storm) {
    reasons.push({
      rule: 'storm',
      effect: 'suggest',
      message:
        'This incident is part of an alert storm: many workloads failing at once point to a shared cause, so nothing runs automatically.',
    });
  }
  const share =
    facts.replicas && facts.replicas.desired > 0 ? facts.replicas.unhealthy / facts.replicas.desired : 0;
  if (share > policy.stormShare) {
    reasons.push({
      rule: 'storm-breaker',
      effect: 'suggest',
      message: `${Math.round(share * 100)}% of the workload's replicas are already unhealthy (breaker at ${Math.round(policy.stormShare * 100)}%): a human decides.`,
    });
  }
  return reasons;
}
