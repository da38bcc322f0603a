import { type Candidate, decide } from '../decide/index.ts';
import type { Alert, Clock, Facts, Incident, Policy, Proposal, Verdict } from '../domain/index.ts';
import { describeAction, redact } from '../domain/index.ts';
import type { OrientResult } from '../orient/index.ts';
import { redactDeep } from '../orient/index.ts';
import type { IncidentFacts } from './incident-facts.ts';
import type { IncidentPresenter, Orientation } from './incident-presenter.ts';
import { authorName } from './orientation-view.ts';
import type { AuditLog, StateStore } from './store/index.ts';
import { withTurns } from './thread-memory.ts';

export interface ThreadQuestionDeps {
  readonly policy: Policy;
  readonly store: StateStore;
  readonly audit: AuditLog;
  readonly presenter: IncidentPresenter;
  readonly clock: Clock;
  readonly factsFor: IncidentFacts;
  readonly answer: (input: {
    incident: Incident;
    facts: Facts;
    alerts: readonly Alert[];
    question: string;
    earlierTurns: readonly { author: string; text: string }[];
    investigation?: { by: string; summary: string; suspectedCause?: string };
    proposals?: readonly { action: string; state: string; verdict: string }[];
  }) => Promise<OrientResult>;
  /** The pipeline's own path from a decided candidate to a shown (and maybe run) proposal. */
  readonly propose: (
    incident: Incident,
    view: Orientation,
    candidate: Candidate,
    verdict: Verdict,
    now: Date,
  ) => Promise<Proposal | undefined>;
}

/**
 * A question in an incident's thread, answered by the same read-only loop with the incident in hand: its
 * alerts (so its pod), fresh facts, what the investigation said, its proposals and Belay's verdicts, and
 * the thread's earlier turns, all kept in the state store so a restart forgets none of it. Asking it to
 * do something yields at most a proposal through the normal policy path; never an action.
 */
export function createThreadQuestions(deps: ThreadQuestionDeps) {
  const { policy, store, audit, presenter, clock } = deps;

  return async function answerQuestion(question: {
    threadTs: string;
    user: string;
    text: string;
  }): Promise<string | undefined> {
    const incident = store
      .listIncidents()
      .find((i) => i.slackMessage?.threadTs === question.threadTs || i.slackThread?.ts === question.threadTs);
    if (!incident) return undefined;
    const thread = store.thread(incident.id);
    const alerts = thread?.alerts ?? [];
    const facts = await deps.factsFor(
      incident,
      alerts.filter((a) => a.status === 'firing'),
    );
    const found = await presenter.orientationOf(incident.id);
    const result = await deps.answer({
      incident,
      facts,
      alerts,
      question: question.text,
      earlierTurns: (thread?.turns ?? []).map((t) => ({ author: t.author, text: t.text })),
      ...(found.summary
        ? {
            investigation: {
              by: authorName(found.author),
              summary: found.summary,
              ...(found.suspectedCause ? { suspectedCause: found.suspectedCause } : {}),
            },
          }
        : {}),
      proposals: store.listProposals({ incidentId: incident.id }).map((p) => ({
        action: describeAction(p.action),
        state: p.state,
        verdict: p.verdict.headline,
      })),
    });
    await audit.append({
      incidentId: incident.id,
      type: 'model.reasoning',
      actor: { type: result.origin.type === 'model' ? 'model' : 'system', id: question.user },
      promptVersion: result.promptVersion,
      summary: `Question from <@${question.user}>: ${result.summary.slice(0, 400)}`,
      data: { question: redactDeep(question.text), result: redactDeep(result) },
    });
    // The answer is the model's words, said to be: "already approved" in it approves nothing.
    const by =
      result.origin.type === 'model' ? `*${result.origin.model}* (the model's words, not Belay's):` : '';
    const lines = [by ? `${by} ${result.summary}` : result.summary];
    if (result.suspectedCause) lines.push(`Suspected cause: ${result.suspectedCause.text}`);
    if (result.outcome.type === 'needs-human') lines.push(`A human must do this: ${result.outcome.why}`);
    if (result.outcome.type === 'proposal') {
      const now = clock.now();
      const origin =
        result.origin.type === 'model'
          ? { type: 'model' as const, promptVersion: result.promptVersion }
          : { type: 'deterministic' as const, rule: result.origin.rule };
      const candidate: Candidate = { request: result.outcome.action, origin };
      const verdict = decide(policy, candidate, facts, now);
      const proposal = await deps.propose(incident, found, candidate, verdict, now);
      lines.push(
        proposal
          ? `Proposed: ${describeAction(proposal.action)}. Belay's verdict: ${verdict.headline}. Use the buttons on the incident message.`
          : `Belay's verdict: ${verdict.headline}`,
      );
    }
    const answer = redact(lines.join('\n'));
    const at = clock.now().toISOString();
    await store.putThread(
      incident.id,
      withTurns(store.thread(incident.id), [
        { author: question.user, text: redact(question.text), at },
        { author: 'belay', text: answer, at },
      ]),
    );
    return answer;
  };
}
