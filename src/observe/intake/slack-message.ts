import { z } from 'zod';

// The parts of a Slack `message` event (protocols.md §4.4) that alert recognition reads; everything else
// passes through untouched because Slack adds fields freely.
const text = z.string().max(40_000);
export const slackAttachmentSchema = z.looseObject({
  title: text.optional(),
  title_link: text.optional(),
  text: text.optional(),
  fallback: text.optional(),
  pretext: text.optional(),
  footer: text.optional(),
  color: z.string().max(64).optional(),
});

export const slackMessageSchema = z.looseObject({
  channel: z.string().min(1).max(64),
  ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'must be a Slack timestamp such as 1700000000.000100'),
  subtype: z.string().max(64).optional(),
  text: text.optional(),
  bot_id: z.string().max(64).optional(),
  app_id: z.string().max(64).optional(),
  bot_profile: z
    .looseObject({
      id: z.string().max(64).optional(),
      app_id: z.string().max(64).optional(),
      name: z.string().max(256).optional(),
    })
    .optional(),
  attachments: z.array(slackAttachmentSchema).max(100).optional(),
  blocks: z.array(z.unknown()).max(100).optional(),
});
export type SlackMessage = z.infer<typeof slackMessageSchema>;

/** Slack escapes `&`, `<` and `>` in message text and wraps links as `<url|label>`; undo both. */
export function unescapeSlackText(value: string): string {
  return value
    .replace(/<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>/g, (_, url: string, label?: string) => label ?? url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every text of the message a template may have written into, in display order. */
export function messageTexts(message: SlackMessage): string[] {
  const texts: string[] = [];
  if (message.text) texts.push(message.text);
  for (const a of message.attachments ?? []) {
    for (const t of [a.pretext, a.title, a.text, a.footer, a.fallback]) if (t) texts.push(t);
  }
  return texts;
}
