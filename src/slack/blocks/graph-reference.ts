import { type Block, cut, escapeText, LIMITS } from './limits.ts';

/** The incident's graph as its card points at it: the file in the thread. */
export interface GraphReference {
  readonly fileId: string;
  readonly title: string;
  readonly permalink?: string;
}

/**
 * The card with a line pointing at its graph, placed above the buttons so they stay last. A card already
 * at Block Kit's block limit is left as it is: its buttons matter more than the pointer.
 */
export function withGraphReference(
  message: Record<string, unknown>,
  graph: GraphReference | undefined,
): Record<string, unknown> {
  const blocks = message.blocks as Block[] | undefined;
  if (!graph || !Array.isArray(blocks) || blocks.length >= LIMITS.blocks) return message;
  const name = escapeText(graph.title);
  const link = graph.permalink ? `<${graph.permalink}|${name}>` : name;
  const line: Block = {
    type: 'context',
    block_id: 'belay_graph',
    elements: [{ type: 'mrkdwn', text: cut(`📈 Graph: ${link}, in the thread`, LIMITS.contextText) }],
  };
  const next = blocks.filter((b) => b.block_id !== 'belay_graph');
  const actions = next.findIndex((b) => b.type === 'actions');
  const index = actions < 0 ? next.length : actions;
  return { ...message, blocks: [...next.slice(0, index), line, ...next.slice(index)] };
}
