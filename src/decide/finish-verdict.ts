import type { Action, Disposition, NamespaceClass, Policy, Reason, Verdict } from '../domain/index.ts';
import { DISPOSITIONS, describeAction, stricter } from '../domain/index.ts';

const SEVERITY: Record<Reason['effect'], number> = {
  info: -1,
  ...Object.fromEntries(DISPOSITIONS.map((d, i) => [d, i])),
} as Record<Reason['effect'], number>;

/** The reasons, strictest first, turned into the verdict: its disposition, headline and approvers. */
export function finish(input: {
  reasons: Reason[];
  nsClass: NamespaceClass;
  decidedAt: string;
  dryRun: boolean;
  policy: Policy;
  rateBudget: Verdict['rateBudget'];
  action?: Action;
  noveltyKey?: string;
  rule?: Verdict['rule'];
}): Verdict {
  const reasons = [...input.reasons].sort((a, b) => SEVERITY[b.effect] - SEVERITY[a.effect]);
  let disposition: Disposition = 'auto';
  for (const r of reasons) if (r.effect !== 'info') disposition = stricter(disposition, r.effect);
  // Nothing asks for less than a human decision unless a rule promoted it to auto and nothing took that back.
  if (!reasons.some((r) => r.effect === 'auto')) disposition = stricter(disposition, 'suggest');
  const decisive = reasons.find((r) => r.effect === disposition) ?? reasons[0];
  const word = {
    auto: 'Runs automatically',
    suggest: 'Suggested',
    approval: 'Needs approval',
    blocked: 'Blocked',
    forbidden: 'Forbidden',
  }[disposition];
  return {
    disposition,
    dryRun: input.dryRun,
    headline: `${input.dryRun ? 'Dry run — ' : ''}${word}${input.action ? `: ${describeAction(input.action)}` : ''}${decisive && disposition !== 'auto' ? ` — ${firstSentence(decisive.message)}` : ''}`,
    reasons,
    // A blocked action names its approvers too: who may approve it once the block lifts is part of the answer.
    ...(disposition === 'suggest' || disposition === 'approval' || disposition === 'blocked'
      ? {
          approvers: {
            ...input.nsClass.approvers,
            twoPerson: input.policy.twoPersonRule && input.nsClass.critical,
            namespaceClass: input.nsClass.name,
          },
        }
      : {}),
    rateBudget: input.rateBudget,
    ...(input.rule ? { rule: input.rule } : {}),
    namespaceClass: input.nsClass.name,
    ...(input.noveltyKey ? { noveltyKey: input.noveltyKey } : {}),
    decidedAt: input.decidedAt,
  };
}

/** The headline carries the decisive reason's first sentence, its "why" included; the thread shows the rest. */
function firstSentence(message: string): string {
  const end = message.search(/\.(\s|$)/);
  return end < 0 ? message : message.slice(0, end);
}
