import type { RuleRecordSummary } from '../decide/index.ts';
import type {
  Action,
  AuditEvent,
  DryRunReview,
  GraphFile,
  Incident,
  ModeOverride,
  Proposal,
  SwitchState,
  Verdict,
  WindowOccurrence,
} from '../domain/index.ts';
import type { ReplayAsk, ReplayResult } from './replay/index.ts';

/**
 * What the edges (Slack, the CLI, a cron job) may ask of Belay. Every entry point goes through these use-
 * cases, so authorisation, policy and audit are checked in one place and a new entry point is never a bypass.
 * Expected refusals are results, not exceptions: `message` is what the person who asked should read.
 */
export interface RemediationService {
  /** A click on Approve. Re-checks the clicker, re-runs policy with fresh facts, then executes through the gate. */
  approve(proposalId: string, user: string): Promise<UseCaseResult>;
  reject(proposalId: string, user: string, reason?: string): Promise<UseCaseResult>;
  /** A click on Revert: the inverse action, through the same gate. */
  revert(proposalId: string, user: string): Promise<UseCaseResult>;
  /** `/remediate propose <action> <target>`: a manual request becomes a proposal like any other. */
  propose(request: ManualRequest): Promise<UseCaseResult>;
  /** `/remediate explain <target>`: the verdict the policy would give now, without proposing anything. */
  explain(request: ManualRequest): Promise<UseCaseResult & { verdict?: Verdict }>;
  setFreeze(change: SwitchChange): Promise<UseCaseResult>;
  setPause(change: SwitchChange): Promise<UseCaseResult>;
  status(): Promise<StatusReport>;
  windows(target?: TargetRef): Promise<WindowsReport>;
  audit(query: { incidentId?: string; last?: number }): Promise<AuditEvent[]>;
  /** `/remediate replay [rule] [7d]`: what the policy would have done with the alerts of the period; changes nothing. */
  replay?(ask: ReplayAsk): Promise<ReplayResult>;
  /** `/remediate promote RULE MODE`: the rule's record, and the promotion when the record allows it. */
  promote?(request: PromoteRequest): Promise<UseCaseResult & { record?: RuleRecordSummary }>;
  /** A 👍 / 👎 on what a dry-run rule would have done. */
  reviewDryRun?(reviewId: string, user: string, approve: boolean): Promise<UseCaseResult>;
}

export interface PromoteRequest {
  readonly rule: string;
  readonly mode: 'suggest' | 'approval' | 'auto';
  readonly user: string;
}

export interface UseCaseResult {
  readonly ok: boolean;
  /** For the person who acted, in plain words: what happened, why, what to do next. */
  readonly message: string;
  /** The proposal as it now stands, so the edge can re-render its message. */
  readonly proposal?: Proposal;
}

/** A target as a person types it: `databases/postgres-0`, `shop/deployment/web`, `prod:shop/web-7c9f-x`. */
export interface TargetRef {
  readonly cluster?: string;
  readonly namespace: string;
  readonly kind?: 'Pod' | 'Deployment' | 'StatefulSet' | 'ConfigMap';
  readonly name: string;
}

export interface ManualRequest {
  /** Untrusted: classified by the policy engine like any other request. */
  readonly request: unknown;
  readonly user: string;
  /** The incident thread it was asked in, when it was. */
  readonly incidentId?: string;
  readonly channel?: string;
  /** Who the card says asked, when it is not a Slack user (an MCP client); a mention of `user` otherwise. */
  readonly requester?: string;
}

export interface SwitchChange {
  readonly on: boolean;
  readonly user: string;
  readonly reason?: string;
  /** How long it holds; absent means until switched off. */
  readonly forMs?: number;
}

export interface StatusReport {
  readonly openIncidents: readonly Incident[];
  readonly pendingProposals: readonly Proposal[];
  readonly freeze: SwitchState;
  readonly pause: SwitchState;
  readonly nextWindows: readonly WindowOccurrence[];
  /** Rules running in a mode other than their policy file's (promoted or demoted). */
  readonly ruleModes?: readonly ModeOverride[];
}

export interface WindowsReport {
  readonly target?: TargetRef;
  readonly open: readonly WindowOccurrence[];
  readonly next: readonly WindowOccurrence[];
}

/** What govern tells the people watching: implemented by the Slack edge, by a log in tests and the CLI. */
export interface Notifier {
  /** The incident's message: posted once, then updated in place as its proposal moves. */
  incidentUpdated(view: IncidentView): Promise<void>;
  /** One line in the incident's thread for each event (approved by…, executed, verification failed…). */
  threadLine(incident: Incident, text: string): Promise<void>;
  /** A message for everyone, not about one incident: a freeze declared, execution paused. */
  announce(text: string): Promise<void>;
  /** What a dry-run rule would have done, posted in the thread with 👍 / 👎; a plain line without it. */
  reviewRequest?(incident: Incident, review: DryRunReview): Promise<void>;
  /** The incident's metric graph, into its thread and referenced from its message; absent: not shown. */
  graph?(incident: Incident, file: GraphFile): Promise<void>;
}

/** Everything the incident message shows. */
export interface IncidentView {
  readonly incident: Incident;
  /** Whose words the summary and suspected cause are: a model's or Belay's rules'. */
  readonly author?:
    | { readonly type: 'model'; readonly model: string }
    | { readonly type: 'rules'; readonly rule: string };
  readonly summary: string;
  readonly suspectedCause?: string;
  readonly evidence: readonly string[];
  /** Text quoted from logs/events/annotations: shown as data, never as instructions. */
  readonly untrustedQuotes: readonly string[];
  readonly proposal?: Proposal;
  /** The verdict to show (fresh after each event); absent when nothing is proposed. */
  readonly verdict?: Verdict;
  readonly action?: Action;
  /** Model spend for the footer: tokens and tool calls. */
  readonly spend?: {
    readonly promptTokens: number;
    readonly completionTokens: number;
    readonly toolCalls: number;
  };
  readonly needsHuman?: string;
  /** The model's words on what a human should do outside the catalog, shown as its, beside its proposal. */
  readonly humanAction?: string;
}
