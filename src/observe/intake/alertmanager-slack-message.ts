import { createHash } from 'node:crypto';
import type { Alert } from '../../domain/index.ts';
import { alertSchema } from '../../domain/index.ts';
import { normaliseInstant } from './alertmanager-webhook.ts';
import { unquoteGo } from './go-quoted.ts';
import { messageTexts, type SlackMessage, unescapeSlackText } from './slack-message.ts';

/** One line per alert, written by the recommended template (README.md, "Alerts that already go to Slack"). */
const BELAY_LINE =
  /^belay-alert (firing|resolved) ([0-9A-Za-z]{1,64}) (\S+)((?: [A-Za-z_][A-Za-z0-9_]*="(?:[^"\\]|\\.)*")*)\s*$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
/** Alertmanager's default `slack.default.title`. */
const DEFAULT_TITLE = /^\[(FIRING|RESOLVED)(?::(\d+))?\] (.+)$/s;

export interface AlertmanagerSlackOptions {
  /** The route's `group_by`, so the default title's bare values can be named (best effort). */
  readonly groupBy?: readonly string[];
  /** Labels every alert from this source carries (say, the cluster a channel is about). */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A message Alertmanager's Slack notifier posted → Alerts. The recommended template gives every alert
 * with its exact labels and fingerprint (so it is the same alert as the webhook's); the default template
 * gives only a title, parsed best-effort. Undefined when the message has neither shape.
 */
export function parseAlertmanagerSlackMessage(
  message: SlackMessage,
  options: AlertmanagerSlackOptions,
  receivedAt: Date,
): Alert[] | undefined {
  const texts = messageTexts(message).map(unescapeSlackText);
  const fromTemplate = texts
    .flatMap((t) => t.split('\n'))
    .flatMap((line) => {
      const alert = parseBelayLine(line.trim().replace(/^`+|`+$/g, ''), message, options, receivedAt);
      return alert ? [alert] : [];
    });
  if (fromTemplate.length > 0) return dedupe(fromTemplate);
  const attachment = message.attachments?.length === 1 ? message.attachments[0] : undefined;
  const title = attachment?.title ? unescapeSlackText(attachment.title).trim() : undefined;
  const match = title ? DEFAULT_TITLE.exec(title) : null;
  if (!attachment || !match) return undefined;
  const [, state, , rest] = match as unknown as [string, 'FIRING' | 'RESOLVED', string | undefined, string];
  const labels: Record<string, string> = { ...options.labels, ...nameValues(rest, options.groupBy) };
  const posted = slackTsToIso(message.ts);
  const alert = alertSchema.safeParse({
    source: 'slack',
    // Firing and resolved posts of one group share the title after the status tag, so they share this.
    fingerprint: `slack-${createHash('sha256').update(rest).digest('hex').slice(0, 32)}`,
    status: state === 'RESOLVED' ? 'resolved' : 'firing',
    name: (labels.alertname ?? rest).slice(0, 256),
    labels,
    annotations: { summary: rest.slice(0, 16_384) },
    startsAt: posted,
    ...(state === 'RESOLVED' ? { endsAt: posted } : {}),
    receivedAt: receivedAt.toISOString(),
    ...(attachment.title_link && attachment.title_link.length <= 2_048 ? { url: attachment.title_link } : {}),
    slackMessage: { channel: message.channel, ts: message.ts },
  });
  return alert.success ? [alert.data] : undefined;
}

function parseBelayLine(
  line: string,
  message: SlackMessage,
  options: AlertmanagerSlackOptions,
  receivedAt: Date,
): Alert | undefined {
  const m = BELAY_LINE.exec(line);
  if (!m) return undefined;
  const [, status, fingerprint, startsAtText, labelText] = m as unknown as [
    string,
    'firing' | 'resolved',
    string,
    string,
    string,
  ];
  const startsAt = normaliseInstant(startsAtText);
  if (!startsAt) return undefined;
  const labels: Record<string, string> = { ...options.labels };
  for (const [, name, quoted] of labelText.matchAll(LABEL)) {
    const value = unquoteGo(quoted as string);
    if (value === undefined) return undefined;
    labels[name as string] = value;
  }
  const alert = alertSchema.safeParse({
    source: 'slack',
    fingerprint,
    status,
    name: (labels.alertname ?? '').slice(0, 256) || 'unnamed alert',
    labels,
    annotations: {},
    startsAt,
    ...(status === 'resolved' ? { endsAt: slackTsToIso(message.ts) } : {}),
    receivedAt: receivedAt.toISOString(),
    slackMessage: { channel: message.channel, ts: message.ts },
  });
  return alert.success ? alert.data : undefined;
}

/** `alertname namespace` + `KubePodCrashLooping shop` → labels; Alertmanager prints the values sorted by name. */
function nameValues(rest: string, groupBy: readonly string[] | undefined): Record<string, string> {
  if (!groupBy || groupBy.length === 0) return {};
  const names = [...groupBy].sort();
  const values = rest.split(' ');
  if (values.length < names.length) return {};
  return Object.fromEntries(names.map((name, i) => [name, values[i] as string]));
}

/** The same alert can appear in the text and in the fallback; keep the first. */
function dedupe(alerts: Alert[]): Alert[] {
  const seen = new Set<string>();
  return alerts.filter((a) => !seen.has(a.fingerprint) && seen.add(a.fingerprint));
}

export function slackTsToIso(ts: string): string {
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}
