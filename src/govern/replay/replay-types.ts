import type { Alert, Disposition, Facts, RuleMode } from '../../domain/index.ts';

/** One firing of an alert in the period, as history records it, with the alert Belay would have received. */
export interface ReplayEpisode {
  readonly alert: Alert;
  readonly startMs: number;
  /** Undefined: still firing at the end of the period. */
  readonly endMs?: number;
}

/** The facts of an episode's target, rebuilt as they were; `gaps` says what could not be. */
export interface EpisodeFacts {
  readonly facts: Facts;
  readonly gaps: readonly string[];
  /** What else was going on, for the reader: "CronJob postgres-backup was running (Job postgres-backup-…)". */
  readonly context: readonly string[];
}

/** A recurring pattern the target was inside at decision time (from the pattern detector). */
export interface PatternFlag {
  /** In plain words: "postgres-0's memory rises like this every night 02:00–02:45 UTC (7 of the last 7 nights), …". */
  readonly description: string;
  readonly cronJob?: { readonly namespace: string; readonly name: string };
}

/** What an action Belay really took in answer to this alert led to (w12outcomes' classifier, when wired). */
export interface PastOutcome {
  readonly summary: string;
}

export type DecisionKind = 'would-act' | 'blocked' | 'forbidden' | 'did-not-apply' | 'no-target';

/** What a reason that blocks is, for the counts: a window, a rate limit, a freeze, a pause, a calendar. */
export type BlockKind = 'window' | 'rate limit' | 'freeze' | 'pause' | 'calendar' | 'other';

export interface ReplayDecision {
  readonly rule: string;
  readonly mode: RuleMode;
  readonly kind: DecisionKind;
  /** The verdict's disposition; for a would-act: auto runs, suggest and approval put it before a human. */
  readonly disposition?: Disposition;
  readonly headline: string;
  /** `restart pod databases/postgres-0`, when the rule named an action. */
  readonly action?: string;
  /** The reasons that blocked it: `window:postgres-nightly-backup`, with their kind. */
  readonly blockedBy: readonly {
    readonly rule: string;
    readonly kind: BlockKind;
    readonly message: string;
  }[];
  /** The reasons that asked for an approver: `tier:production-critical`, `tier:statefulset`, `novelty`. */
  readonly approvalBy: readonly string[];
  /** Conditions of the rule that did not hold, with what was seen. */
  readonly unmet: readonly { readonly condition: string; readonly detail: string }[];
  /** Only a window or a rate limit stopped it: the rule would otherwise have acted. */
  readonly nearMiss: boolean;
  /** The target was inside a recurring pattern; `covered` when a configured window was open then. */
  readonly pattern?: PatternFlag & { readonly covered: boolean };
}

export interface ReplayedEpisode {
  readonly alertName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `databases/postgres-0`. */
  readonly target: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  /** When the policy was asked: the episode's start, when Belay would have received the alert. */
  readonly decidedAt: string;
  readonly decisions: readonly ReplayDecision[];
  readonly gaps: readonly string[];
  readonly context: readonly string[];
  readonly pastOutcome?: PastOutcome;
}
