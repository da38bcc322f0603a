import type { OrientResult } from '../orient/index.ts';
import type { Orientation } from './incident-presenter.ts';

/**
 * What the investigation found, as people read it, with whose words they are: a model's (its summary and
 * suspected cause are claims, never Belay's finding) or Belay's own rules. Evidence stays quoted data.
 */
export function toOrientation(result: OrientResult): Orientation {
  return {
    author:
      result.origin.type === 'model'
        ? { type: 'model', model: result.origin.model }
        : { type: 'rules', rule: result.origin.rule },
    summary: result.summary,
    ...(result.suspectedCause ? { suspectedCause: result.suspectedCause.text } : {}),
    evidence: result.suspectedCause?.evidence.map((e) => `${e.source}: ${e.excerpt}`) ?? [],
    untrustedQuotes: result.untrustedQuotes.map((q) => `${q.source}: ${q.text}`),
    ...(result.outcome.type === 'needs-human' ? { needsHuman: result.outcome.why } : {}),
    ...(result.humanAction ? { humanAction: result.humanAction } : {}),
    spend: {
      promptTokens: result.spend.promptTokens,
      completionTokens: result.spend.completionTokens,
      toolCalls: result.spend.toolCalls,
    },
  };
}

/** `gpt-4o-mini` or `Belay's rules (crash-after-rollout)`: who said it, for the card and the thread. */
export function authorName(author: Orientation['author']): string {
  if (!author) return 'the investigation';
  return author.type === 'model' ? author.model : `Belay's rules (${author.rule})`;
}
