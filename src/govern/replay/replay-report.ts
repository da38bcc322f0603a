import type { Rule } from '../../domain/index.ts';
import type { BlockKind, ReplayDecision, ReplayedEpisode } from './replay-types.ts';

/** What one rule would have done over the period. */
export interface RuleReplay {
  readonly rule: string;
  readonly mode: Rule['mode'];
  /** Alerts that triggered it (its alert clause matched). */
  readonly triggered: number;
  /** Of those, how often every condition held. */
  readonly matched: number;
  /** Would have acted: run automatically, or been put before a human (suggest, approval). */
  readonly wouldAct: { readonly auto: number; readonly suggest: number; readonly approval: number };
  readonly blocked: number;
  readonly forbidden: number;
  /** Blocks by the reason that held them, with how often: `window:postgres-nightly-backup` × 7. */
  readonly blockedBy: readonly {
    readonly reason: string;
    readonly kind: BlockKind;
    readonly count: number;
  }[];
  /** Why a human would have had to approve, with how often: `tier:production-critical` × 7. */
  readonly approvalBy: readonly { readonly reason: string; readonly count: number }[];
  /** Conditions that kept the rule from matching, with how often. */
  readonly unmet: readonly { readonly condition: string; readonly count: number }[];
  readonly nearMisses: number;
  /** Would-be actions (or near misses) on a target inside a recurring pattern no window covered. */
  readonly inUnconfiguredPattern: number;
}

/** A near miss: an action only a window or a limit stopped, or one that would have hit a recurring pattern. */
export interface NearMiss {
  readonly at: string;
  readonly rule: string;
  readonly target: string;
  readonly action: string;
  /** `blocked by window:postgres-nightly-backup`, or `would have run (approval)`. */
  readonly what: string;
  readonly pattern?: ReplayDecision['pattern'];
}

export interface ReplaySummary {
  readonly rules: readonly RuleReplay[];
  readonly nearMisses: readonly NearMiss[];
  /** Episodes that triggered none of the replayed rules. */
  readonly untriggered: number;
}

/** Counts the replayed episodes per rule (every replayed rule listed, those that never fired too). */
export function summarizeReplay(
  rules: readonly Pick<Rule, 'name' | 'mode'>[],
  episodes: readonly ReplayedEpisode[],
): ReplaySummary {
  const nearMisses: NearMiss[] = [];
  const summaries = rules.map((rule): RuleReplay => {
    const decisions = episodes.flatMap((e) =>
      e.decisions.filter((d) => d.rule === rule.name).map((d) => ({ episode: e, d })),
    );
    const count = (pick: (d: ReplayDecision) => boolean) => decisions.filter(({ d }) => pick(d)).length;
    const blockedBy = tally(
      decisions.flatMap(({ d }) =>
        d.kind === 'blocked' ? d.blockedBy.map((b) => `${b.kind}\u0000${b.rule}`) : [],
      ),
    ).map(({ key, count: n }) => {
      const [kind, reason] = key.split('\u0000') as [BlockKind, string];
      return { reason, kind, count: n };
    });
    for (const { episode, d } of decisions) {
      const unconfigured = d.pattern !== undefined && !d.pattern.covered;
      if (!d.nearMiss && !(unconfigured && d.kind === 'would-act')) continue;
      nearMisses.push({
        at: episode.decidedAt,
        rule: rule.name,
        target: episode.target,
        action: d.action ?? d.headline,
        what: d.nearMiss
          ? `blocked by ${d.blockedBy.map((b) => b.rule).join(', ')}`
          : `would have ${d.disposition === 'auto' ? 'run automatically' : `been put to a human (${d.disposition})`}`,
        ...(d.pattern ? { pattern: d.pattern } : {}),
      });
    }
    return {
      rule: rule.name,
      mode: rule.mode,
      triggered: decisions.length,
      matched: count((d) => d.kind !== 'did-not-apply' && d.kind !== 'no-target'),
      wouldAct: {
        auto: count((d) => d.kind === 'would-act' && d.disposition === 'auto'),
        suggest: count((d) => d.kind === 'would-act' && d.disposition === 'suggest'),
        approval: count((d) => d.kind === 'would-act' && d.disposition === 'approval'),
      },
      blocked: count((d) => d.kind === 'blocked'),
      forbidden: count((d) => d.kind === 'forbidden'),
      blockedBy,
      approvalBy: tally(
        decisions.flatMap(({ d }) => (d.kind === 'would-act' || d.kind === 'blocked' ? d.approvalBy : [])),
      ).map(({ key, count: n }) => ({ reason: key, count: n })),
      unmet: tally(
        decisions.flatMap(({ d }) => (d.kind === 'did-not-apply' ? d.unmet.map((u) => u.condition) : [])),
      ).map(({ key, count: n }) => ({ condition: key, count: n })),
      nearMisses: count((d) => d.nearMiss),
      inUnconfiguredPattern: count(
        (d) =>
          (d.kind === 'would-act' || d.kind === 'blocked') && d.pattern !== undefined && !d.pattern.covered,
      ),
    };
  });
  const replayed = new Set(rules.map((r) => r.name));
  return {
    rules: summaries,
    nearMisses: nearMisses.sort((a, b) => a.at.localeCompare(b.at)),
    untriggered: episodes.filter((e) => !e.decisions.some((d) => replayed.has(d.rule))).length,
  };
}

function tally(keys: readonly string[]): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
