import { CATALOG, describeAction, mention, type Proposal, type Verdict } from '../../domain/index.ts';
import type { IncidentView } from '../../govern/service.ts';
import {
  type Block,
  context,
  cut,
  escapeText,
  header,
  LIMITS,
  message,
  quoted,
  type SlackMessage,
  section,
} from './limits.ts';
import { proposalControls } from './proposal-controls.ts';
import {
  approversText,
  escapeKeepingMentions,
  MARK,
  openWindows,
  rateBudgetLeft,
  ruleConditions,
  verdictHeadline,
  verdictReasons,
} from './verdict-text.ts';

const EVIDENCE_LINE = 500;

/**
 * The incident's message: what is wrong, the evidence, what Belay proposes, what the policy says and why,
 * and the buttons the verdict allows. The tail (status, buttons, footer) survives any cut for size.
 */
export function incidentMessage(view: IncidentView, now?: Date): SlackMessage {
  const { incident, proposal } = view;
  const verdict = view.verdict ?? proposal?.verdict;
  const head: Block[] = [header(incident.title || `Incident ${incident.id}`)];
  const where = `${incident.cluster}:${incident.namespace}${incident.workload ? ` · ${incident.workload.kind} ${incident.workload.name}` : ''}`;
  head.push(
    context(
      `${incident.status === 'resolved' ? ':large_green_circle: resolved' : ':red_circle: open'} · ${escapeText(where)}${incident.storm ? ' · part of an alert storm' : ''}`,
    ),
  );
  head.push(...investigation(view));
  if (view.evidence.length > 0) {
    const lines = view.evidence.map((e) => `• ${escapeText(cut(e, EVIDENCE_LINE))}`);
    head.push(section(`*Evidence* _(quoted from the cluster)_\n${lines.join('\n')}`));
  }
  if (view.untrustedQuotes.length > 0) {
    head.push(context('_Quoted from the cluster: data to read, not instructions to follow._'));
    for (const quote of view.untrustedQuotes) head.push(section(quoted(quote, LIMITS.sectionText)));
  }
  if (view.needsHuman) {
    head.push(section(`:raising_hand: *A human must do this:* ${escapeKeepingMentions(view.needsHuman)}`));
  }
  if (view.humanAction) head.push(humanAction(view, view.humanAction));
  if (view.action ?? proposal?.action) head.push({ type: 'divider' }, ...proposedAction(view, proposal));
  if (verdict) {
    head.push(context("*Belay's verdict* — its policy, decided by code, whatever the investigation says:"));
    head.push(...verdictBlocks(view, verdict, now));
  }

  const tail: Block[] = [];
  if (proposal && verdict) tail.push(...proposalControls(proposal, verdict, now));
  tail.push(footer(view, proposal));
  const text = `${verdict ? `${MARK[verdict.disposition]} ` : ''}${incident.title}${verdict ? ` — ${verdict.headline}` : ''}`;
  return message(text, [...head, ...tail], tail.length);
}

/**
 * The investigation's words, said to be theirs: a model's summary is a claim ("already approved" in it
 * approves nothing), so it reads as the model's, set apart from Belay's verdict; the rules' as the rules'.
 */
function investigation(view: IncidentView): Block[] {
  const claims = [view.summary, view.suspectedCause ? `Suspected cause: ${view.suspectedCause}` : '']
    .filter(Boolean)
    .map((line) => `> ${escapeText(line).replaceAll('\n', '\n> ')}`)
    .join('\n');
  if (!claims) return [];
  const author = view.author;
  const byline =
    author?.type === 'model'
      ? `:robot_face: *Investigation by ${escapeText(author.model)}* — the model's words, not Belay's findings:`
      : author?.type === 'rules'
        ? `:straight_ruler: *Belay's rules* (\`${escapeText(author.rule)}\`) found:`
        : '*The investigation* found:';
  return [section(`${byline}\n${claims}`)];
}

/** The model's advice for a human, quoted as its words: Belay cannot do it and does not. */
function humanAction(view: IncidentView, text: string): Block {
  const who = view.author?.type === 'model' ? escapeText(view.author.model) : 'The investigation';
  return section(
    `:raising_hand: *${who} says a human must do this; Belay cannot:*\n${quoted(text, LIMITS.sectionText - 200)}`,
  );
}

function proposedAction(view: IncidentView, proposal: Proposal | undefined): Block[] {
  const action = view.action ?? proposal?.action;
  if (!action) return [];
  const entry = CATALOG[action.kind];
  const revert =
    entry.revert.type === 'none'
      ? `Cannot be reverted: ${entry.revert.why}.`
      : `Revert: ${entry.revert.how}.`;
  return [section(`*Proposed:* ${escapeText(describeAction(action))}\n_${entry.title}. ${revert}_`)];
}

function verdictBlocks(view: IncidentView, verdict: Verdict, now?: Date): Block[] {
  const reasons = verdictReasons(verdict, now);
  const conditions = ruleConditions(verdict);
  const blocks: Block[] = [section([verdictHeadline(verdict), ...reasons.map((r) => `  ${r}`)].join('\n'))];
  if (conditions.length > 0) blocks.push(section(conditions.join('\n')));
  const windows = openWindows(verdict, now);
  const budget = rateBudgetLeft(verdict);
  const approvers = approversText(verdict);
  const owner = view.incident.workload
    ? `${view.incident.workload.kind} ${view.incident.workload.name}`
    : 'unknown';
  const fields = [
    `*Window*\n${windows.length ? windows.join('\n') : 'none open'}`,
    `*Rate budget left*\n${budget.length ? budget.join('\n') : 'no limit applies'}`,
    `*Owner*\n${escapeText(owner)}`,
    `*Namespace class*\n${escapeText(verdict.namespaceClass)}`,
    ...(approvers ? [`*Who may approve*\n${approvers}`] : []),
  ];
  blocks.push({
    type: 'section',
    fields: fields
      .slice(0, LIMITS.sectionFields)
      .map((f) => ({ type: 'mrkdwn', text: cut(f, LIMITS.sectionField) })),
  });
  return blocks;
}

function footer(view: IncidentView, proposal: Proposal | undefined): Block {
  const parts = [`incident ${escapeText(view.incident.id)}`];
  if (proposal) parts.push(`proposal ${escapeText(proposal.id)}`);
  if (view.spend) {
    const { promptTokens, completionTokens, toolCalls } = view.spend;
    parts.push(`model: ${promptTokens}+${completionTokens} tokens, ${toolCalls} tool calls`);
  }
  const origin = proposal?.origin;
  if (origin?.type === 'model') parts.push(`prompts ${escapeText(origin.promptVersion)}`);
  if (origin?.type === 'rule' || origin?.type === 'deterministic')
    parts.push(`rule ${escapeText(origin.rule)}`);
  if (origin?.type === 'manual') parts.push(`asked by ${mention(origin.user)}`);
  return context(parts.join(' · '));
}
