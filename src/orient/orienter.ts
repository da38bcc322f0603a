import type { Alert, Clock, Facts, Incident } from '../domain/index.ts';
import { redact, redactDeep } from '../domain/index.ts';
import type { ReadTool } from '../observe/read-tool.ts';
import { checkCandidate } from './candidate.ts';
import { orientDeterministically } from './deterministic-orienter.ts';
import type { Findings } from './findings.ts';
import { findingsScope } from './findings-scope.ts';
import { incidentContext } from './incident-context.ts';
import { type LoopResult, type ModelPort, runModelLoop } from './model-loop.ts';
import {
  type Evidence,
  NO_SPEND,
  type OrientResult,
  type Outcome,
  type Rejection,
  type UntrustedQuote,
} from './orient-result.ts';
import type { Prompts } from './prompts.ts';
import { findUntrustedQuotes, mergeQuotes } from './untrusted-quotes.ts';

export interface OrientInput {
  readonly incident: Incident;
  readonly facts: Facts;
  readonly alerts: readonly Alert[];
  readonly signal?: AbortSignal;
}

export interface ThreadTurn {
  readonly author: string;
  readonly text: string;
}

export interface QuestionInput extends OrientInput {
  readonly question: string;
  /** Earlier turns of the thread, oldest first; only the last `threadTurns` are sent. */
  readonly earlierTurns: readonly ThreadTurn[];
  /** What the incident's investigation said, and by whom, so the answer starts from it. */
  readonly investigation?: {
    readonly by: string;
    readonly summary: string;
    readonly suspectedCause?: string;
  };
  /** The incident's proposals with their state and Belay's verdict: decided by code, not by the model. */
  readonly proposals?: readonly {
    readonly action: string;
    readonly state: string;
    readonly verdict: string;
  }[];
}

export interface Orienter {
  /** Investigates an incident. Never throws for a model failure: it falls back to the rules and says why. */
  orient(input: OrientInput): Promise<OrientResult>;
  /** Answers a question in the incident's thread; a request to do something becomes a candidate, never an action. */
  answerQuestion(input: QuestionInput): Promise<OrientResult>;
}

export interface OrienterDeps {
  /** Absent: no model configured; every incident is oriented by the deterministic rules. */
  readonly model?: ModelPort;
  readonly tools: readonly ReadTool[];
  readonly prompts: Prompts;
  readonly clock: Clock;
  readonly threadTurns?: number;
  /** The policy's declared-safe ConfigMaps: the only ones a proposal's schema lets the model name. */
  readonly safeConfigMaps?: readonly { namespace: string; name: string; safeKeys: readonly string[] }[];
}

const MAX_QUESTION = 2_000;
const MAX_TURN = 1_000;

export function createOrienter(deps: OrienterDeps): Orienter {
  const threadTurns = deps.threadTurns ?? 10;

  async function investigate(
    input: OrientInput,
    system: string,
    user: string,
    thread: boolean,
  ): Promise<OrientResult> {
    const contextQuotes = input.alerts.flatMap((a) => findUntrustedQuotes(a.annotations, `alert:${a.name}`));
    if (!deps.model) return fallback(input, 'no model is configured', undefined, contextQuotes, thread);
    const loop = await runModelLoop(
      deps.model,
      {
        system,
        user,
        incident: input.incident,
        tools: deps.tools,
        scope: findingsScope(input.incident, input.facts, deps.safeConfigMaps ?? []),
        ...(input.signal ? { signal: input.signal } : {}),
      },
      deps.clock,
    );
    if (!loop.ok) return fallback(input, loop.reason, loop, contextQuotes, thread);
    return fromFindings(input, loop.findings, loop, contextQuotes);
  }

  function fromFindings(
    input: OrientInput,
    findings: Findings,
    loop: LoopResult,
    contextQuotes: readonly UntrustedQuote[],
  ): OrientResult {
    const rejected: Rejection[] = [...loop.rejected];
    const evidence: Evidence[] = [];
    for (const item of findings.suspectedCause?.evidence ?? []) {
      const output = loop.outputs.get(item.toolCallId);
      if (!output) {
        rejected.push({
          what: 'evidence',
          detail: item.toolCallId,
          reason: 'no tool call with that id was made',
        });
        continue;
      }
      evidence.push({ source: `${output.tool}#${item.toolCallId}`, excerpt: redact(item.excerpt) });
    }
    let outcome: Outcome | undefined;
    if (findings.proposal) {
      const check = checkCandidate(findings.proposal.action, input.incident, input.facts);
      if (check.ok)
        outcome = { type: 'proposal', action: check.action, rationale: redact(findings.proposal.rationale) };
      else {
        rejected.push(check.rejection);
        outcome = check.outcome;
      }
    }
    // What the model thinks a human should do outside the catalog is judged like any request: seen,
    // quoted and refused, never an action.
    const human = findings.humanAction?.trim() ? humanActionOutcome(findings.humanAction, input) : undefined;
    if (human) rejected.push(human.rejection);
    const humanBeside = human && outcome ? redact(findings.humanAction?.trim() ?? '') : undefined;
    if (!outcome && human) outcome = human.outcome;
    if (!outcome && findings.needsHuman) outcome = { type: 'needs-human', why: redact(findings.needsHuman) };
    outcome ??= { type: 'no-action', why: 'the investigation found nothing for Belay to do' };
    // The model's own quotes are shown only when they really are in what the tools returned.
    const seen = [...loop.outputs.values()];
    const modelQuotes = findings.untrustedQuotes.flatMap((text) => {
      const encoded = JSON.stringify(text).slice(1, -1);
      const hit = seen.find((o) => o.content.includes(text) || o.content.includes(encoded));
      return hit && text.trim() ? [{ source: hit.tool, text: redact(text) }] : [];
    });
    return {
      incidentId: input.incident.id,
      origin: { type: 'model', model: deps.model?.model ?? '', promptVersion: deps.prompts.version },
      promptVersion: deps.prompts.version,
      summary: redact(findings.summary),
      ...(findings.suspectedCause
        ? { suspectedCause: { text: redact(findings.suspectedCause.text), evidence } }
        : {}),
      outcome,
      ...(humanBeside ? { humanAction: humanBeside } : {}),
      rejected,
      untrustedQuotes: mergeQuotes(contextQuotes, loop.quotes, modelQuotes),
      spend: loop.spend,
    };
  }

  function fallback(
    input: OrientInput,
    reason: string,
    loop: LoopResult | undefined,
    contextQuotes: readonly UntrustedQuote[],
    thread: boolean,
  ): OrientResult {
    const rules = orientDeterministically({ ...input, now: deps.clock.now() });
    const note = loop ? `Belay used its rules instead of the model: ${reason}.` : '';
    let outcome = rules.outcome;
    if (thread) {
      outcome = {
        type: 'no-action',
        why: `the model is not available to answer (${reason}); ask again later`,
      };
    } else if (outcome.type === 'proposal') {
      const check = checkCandidate(outcome.action, input.incident, input.facts);
      if (!check.ok) outcome = check.outcome;
    }
    return {
      incidentId: input.incident.id,
      origin: { type: 'deterministic', rule: rules.rule, fallbackReason: reason },
      promptVersion: deps.prompts.version,
      summary: redact(note ? `${note} ${rules.summary}` : rules.summary),
      ...(rules.suspectedCause
        ? {
            suspectedCause: {
              text: redact(rules.suspectedCause.text),
              evidence: rules.suspectedCause.evidence.map((e) => ({ ...e, excerpt: redact(e.excerpt) })),
            },
          }
        : {}),
      outcome,
      rejected: loop?.rejected ?? [],
      untrustedQuotes: mergeQuotes(contextQuotes, loop?.quotes ?? []),
      spend: loop?.spend ?? NO_SPEND,
    };
  }

  function humanActionOutcome(text: string, input: OrientInput) {
    const check = checkCandidate(redact(text.trim()), input.incident, input.facts);
    return check.ok ? undefined : check;
  }

  return {
    orient(input) {
      const user = JSON.stringify(incidentContext({ ...input, now: deps.clock.now() }));
      return investigate(input, deps.prompts.orient, user, false);
    },
    answerQuestion(input) {
      const turns = input.earlierTurns.slice(-threadTurns).map((t) => ({
        author: t.author.slice(0, 100),
        text: t.text.slice(0, MAX_TURN),
      }));
      const user = JSON.stringify({
        ...incidentContext({ ...input, now: deps.clock.now() }),
        ...(input.investigation ? { earlierInvestigation: redactDeep(input.investigation) } : {}),
        proposalsAndBelaysVerdicts: input.proposals ?? [],
        earlierTurnsFromChat: turns,
        questionFromChat: input.question.slice(0, MAX_QUESTION),
      });
      return investigate(input, `${deps.prompts.orient}\n\n${deps.prompts.thread}`, user, true);
    },
  };
}
