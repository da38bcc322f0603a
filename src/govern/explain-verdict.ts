import { type Disposition, formatDuration, type Verdict } from '../domain/index.ts';

/** How one surface writes emphasis and marks: Slack mrkdwn, or a terminal's plain text. */
export interface Markup {
  mark(effect: Disposition | 'info'): string;
  strong(text: string): string;
  emphasis(text: string): string;
  code(text: string): string;
  /** Text Belay did not write (names, typed reasons), made safe for the surface. */
  text(text: string): string;
  /** Text Belay wrote that may hold its own user and group mentions. */
  mentions(text: string): string;
  met(met: boolean): string;
  /** An instant as the reader reads it, next to `now`. */
  time(iso: string, now?: Date): string;
}

/** `/remediate explain` and `belay explain`, in words: the same lines, each surface's own markup. */
export interface Explanation {
  /** "If asked now:" with the headline, then every reason, strictest first, each naming its rule. */
  readonly verdict: readonly string[];
  /** The rule's compound conditions, met or not, when a rule asked for the action. */
  readonly rule: readonly string[];
  /** Namespace class, open windows, rate budget left, who may approve. */
  readonly facts: readonly string[];
}

export function explainVerdict(verdict: Verdict, m: Markup, now?: Date): Explanation {
  const windows = openWindowLines(verdict, m, now);
  const budget = rateBudgetLines(verdict, m);
  const approvers = approversLine(verdict);
  return {
    verdict: [
      `${m.emphasis('If asked now:')} ${headlineLine(verdict, m)}`,
      ...reasonLines(verdict, m, now).map((r) => `  ${r}`),
    ],
    rule: ruleLines(verdict, m),
    facts: [
      `${m.strong('Namespace class:')} ${m.text(verdict.namespaceClass)}`,
      `${m.strong('Window:')} ${windows.length ? windows.join(', ') : 'none open'}`,
      `${m.strong('Rate budget left:')} ${budget.length ? budget.join('; ') : 'no limit applies'}`,
      ...(approvers ? [`${m.strong('Who may approve:')} ${m.mentions(approvers)}`] : []),
    ],
  };
}

/** `✋ *Blocked: restart pod … — Inside backup window … until 02:45 UTC*`. */
export function headlineLine(verdict: Verdict, m: Markup): string {
  return `${m.mark(verdict.disposition)} ${m.strong(m.mentions(verdict.headline))}`;
}

/** Every reason, strictest first, each naming its rule: the 3 AM reader sees why, and which rule to look at. */
export function reasonLines(verdict: Verdict, m: Markup, now?: Date): string[] {
  return verdict.reasons.map((reason) => {
    const until =
      reason.until && !reason.message.includes('until') ? ` (until ${m.time(reason.until, now)})` : '';
    return `${m.mark(reason.effect)} ${m.mentions(reason.message)}${until} ${m.code(m.text(reason.rule))}`;
  });
}

/** The rule's compound conditions, met or not, when a rule asked for the action. */
export function ruleLines(verdict: Verdict, m: Markup): string[] {
  if (!verdict.rule) return [];
  const head = `Rule ${m.strong(m.text(verdict.rule.name))} (${verdict.rule.mode}) ${verdict.rule.applies ? 'applies' : 'does not apply'}:`;
  return [
    head,
    ...verdict.rule.conditions.map((c) => `${m.met(c.met)} ${m.text(c.condition)} — ${m.text(c.detail)}`),
  ];
}

/** The windows that block, from the verdict's reasons; empty when none is open. */
export function openWindowLines(verdict: Verdict, m: Markup, now?: Date): string[] {
  return verdict.reasons
    .filter((r) => r.rule.startsWith('window:'))
    .map(
      (r) => `${m.text(r.rule.slice('window:'.length))}${r.until ? ` until ${m.time(r.until, now)}` : ''}`,
    );
}

export function rateBudgetLines(verdict: Verdict, m: Markup): string[] {
  return verdict.rateBudget.map(
    (b) => `${b.remaining} of ${b.limit} per ${b.scope} per ${formatDuration(b.windowMs)} (${m.text(b.key)})`,
  );
}

/** Who may approve, as mentions; undefined when the verdict needs no approval. */
export function approversLine(verdict: Verdict): string | undefined {
  const approvers = verdict.approvers;
  if (!approvers) return undefined;
  const who = [...approvers.users.map((u) => `<@${u}>`), ...approvers.groups.map((g) => `<!subteam^${g}>`)];
  return `${who.length ? who.join(', ') : 'anyone in the channel'}${approvers.twoPerson ? ' (not the requester)' : ''}`;
}
