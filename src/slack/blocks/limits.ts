import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/** What every builder returns: fallback text (notifications, screen readers) and the blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

/** Block Kit's limits (protocols.md §4.7). Slack rejects a message that breaks one, so builders cut instead. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  fallbackText: 2000,
} as const;

/** Cuts text to `max` characters, saying how much was cut so nobody mistakes a part for the whole. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … (cut: ${text.length - max} more characters)`;
  if (max <= note.length + 1) return `${text.slice(0, Math.max(0, max - 1))}…`;
  return text.slice(0, max - note.length) + note;
}

/** Slack's control characters; escaping them stops `<!channel>`, links and mentions inside quoted data. */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: cut(text, max) || ' ', emoji: true };
}

export function section(mrkdwn: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(mrkdwn, LIMITS.sectionText) || ' ' } };
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}

export function context(...lines: string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: lines
      .slice(0, LIMITS.contextElements)
      .map((line) => ({ type: 'mrkdwn' as const, text: cut(line, LIMITS.contextText) || ' ' })),
  };
}

/**
 * Text that came from logs, events or a model: escaped and shown as a code block, so it reads as data.
 * Backticks are swapped so the quote cannot close its own code block.
 */
export function quoted(text: string, max: number): string {
  const body = escapeText(text).replaceAll('```', 'ʼʼʼ');
  return `\`\`\`${cut(body, max - 6)}\`\`\``;
}

/**
 * Caps the number of blocks, keeping the last `keepTail` (the buttons and the footer) and saying how many
 * were left out, so a message with a thousand evidence lines still reaches Slack with its buttons.
 */
export function capBlocks(blocks: Block[], keepTail = 0): Block[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const tail = keepTail > 0 ? blocks.slice(-keepTail) : [];
  const room = LIMITS.blocks - tail.length - 1;
  const dropped = blocks.length - tail.length - room;
  return [
    ...blocks.slice(0, room),
    context(`_${dropped} more blocks not shown (Slack shows at most 50)._`),
    ...tail,
  ];
}

export function message(text: string, blocks: Block[], keepTail = 0): SlackMessage {
  return { text: cut(text, LIMITS.fallbackText), blocks: capBlocks(blocks, keepTail) };
}

export { utcTime } from '../../govern/utc-time.ts';
