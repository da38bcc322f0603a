import type { Alert } from '../../domain/index.ts';
import { alertSchema } from '../../domain/index.ts';
import { slackTsToIso } from './alertmanager-slack-message.ts';
import { messageTexts, type SlackMessage, unescapeSlackText } from './slack-message.ts';

const INCIDENT_URL = /https:\/\/[a-z0-9-]+(?:\.eu)?\.pagerduty\.com\/incidents\/([A-Z0-9]{1,64})/;

/**
 * A message the PagerDuty Slack app posted → an Alert about the incident it links to. PagerDuty does not
 * publish the message layout (protocols.md §2.2), so only the incident link is relied on; the title is best
 * effort, and the incident id as fingerprint makes it the same alert as the Webhooks V3 delivery.
 */
export function parsePagerDutySlackMessage(
  message: SlackMessage,
  labels: Readonly<Record<string, string>>,
  receivedAt: Date,
): Alert | undefined {
  const found = findIncidentUrl(message);
  if (!found) return undefined;
  const [url, id] = found;
  const title = firstLine(message);
  const posted = slackTsToIso(message.ts);
  const resolved = /^\W*resolved\b/i.test(title);
  const alert = alertSchema.safeParse({
    source: 'slack',
    fingerprint: id,
    status: resolved ? 'resolved' : 'firing',
    name: (title || `PagerDuty incident ${id}`).slice(0, 256),
    labels: { ...labels, pagerduty_incident_id: id },
    annotations: { summary: title.slice(0, 16_384) },
    startsAt: posted,
    ...(resolved ? { endsAt: posted } : {}),
    receivedAt: receivedAt.toISOString(),
    url,
    slackMessage: { channel: message.channel, ts: message.ts },
  });
  return alert.success ? alert.data : undefined;
}

function findIncidentUrl(message: SlackMessage): [string, string] | undefined {
  const texts = [...messageTexts(message), ...(message.attachments?.map((a) => a.title_link ?? '') ?? [])];
  for (const text of [...texts, ...blockStrings(message.blocks ?? [], 0)]) {
    const m = INCIDENT_URL.exec(text);
    if (m) return [m[0], m[1] as string];
  }
  return undefined;
}

/** Every string inside Block Kit blocks (texts, button urls), bounded in depth against hostile nesting. */
function blockStrings(value: unknown, depth: number): string[] {
  if (depth > 8) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => blockStrings(v, depth + 1));
  if (value && typeof value === 'object')
    return Object.values(value).flatMap((v) => blockStrings(v, depth + 1));
  return [];
}

function firstLine(message: SlackMessage): string {
  const candidates = [message.attachments?.[0]?.title, message.text, message.attachments?.[0]?.fallback];
  const text = candidates.find((t) => t?.trim()) ?? '';
  return unescapeSlackText(text).split('\n')[0]?.replace(/[*_~]/g, '').trim() ?? '';
}
