import { formatDuration } from '../domain/index.ts';
import type { OrientOrigin, Spend } from './orient-result.ts';

/** The footer line of an incident message: what the investigation cost and who wrote it. */
export function describeSpend(spend: Spend, origin: OrientOrigin): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const parts =
    spend.modelCalls === 0
      ? []
      : [
          `${n(spend.promptTokens + spend.completionTokens)} tokens${spend.usageReported ? '' : ' (estimated)'}`,
          `${spend.modelCalls} model call${spend.modelCalls === 1 ? '' : 's'}`,
          `${spend.toolCalls} tool call${spend.toolCalls === 1 ? '' : 's'}`,
          ...(spend.truncatedOutputs > 0
            ? [`${spend.truncatedOutputs} output${spend.truncatedOutputs === 1 ? '' : 's'} cut`]
            : []),
          formatDuration(spend.wallMs),
        ];
  const who =
    origin.type === 'model'
      ? `${origin.model} · prompts ${origin.promptVersion}`
      : `Belay's rules (${origin.rule}) · ${origin.fallbackReason}`;
  return [who, ...parts].join(' · ');
}
