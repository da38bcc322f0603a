import type { WeeklyDigest } from '../../govern/weekly-digest.ts';
import { escapeText, header, message, type SlackMessage, section, utcTime } from './limits.ts';

// The type lives in govern (which counts it); re-exported so the Slack edge keeps one import for the digest.
export type { WeeklyDigest };

const TOP = 10;

/** The weekly review posted to the digest channel. */
export function weeklyDigestMessage(digest: WeeklyDigest): SlackMessage {
  const period = `${digest.from.slice(0, 10)} – ${digest.to.slice(0, 10)}`;
  const counts = [
    `*Executed:* ${digest.executed}`,
    `*Approved:* ${digest.approved}`,
    `*Rejected:* ${digest.rejected}`,
    `*Reverted:* ${digest.reverted}`,
    `*Expired unanswered:* ${digest.expired}`,
  ].join('   ');
  const blocked = top(digest.blockedByReason).map((b) => `• ${b.count} × \`${escapeText(b.rule)}\``);
  const dryRun = top(digest.dryRun).map(
    (d) => `• ${d.count} × rule *${escapeText(d.rule)}* would have ${escapeText(d.wouldHave)}`,
  );
  const measured = (digest.outcomesByRule ?? []).map(
    (o) =>
      `• rule *${escapeText(o.rule)}*: ${o.fixed} fixed, ${o.notFixed} did not fix, ${o.postponed} postponed`,
  );
  const noisy = top(digest.noisiestAlerts).map((a) => `• ${a.count} × ${escapeText(a.alert)}`);
  const blocks = [
    header(`Belay weekly review, ${period}`),
    section(counts),
    section(`*Blocked, by reason*\n${blocked.join('\n') || '_nothing was blocked_'}`),
    section(`*Dry-run rules: what they would have done*\n${dryRun.join('\n') || '_no dry-run rule fired_'}`),
    ...(measured.length > 0
      ? [
          section(
            `*Did what ran fix it? (alert resolved and stayed resolved)*\n${measured.slice(0, TOP).join('\n')}`,
          ),
        ]
      : []),
    section(`*Noisiest alerts*\n${noisy.join('\n') || '_no alerts_'}`),
  ];
  return message(
    `Belay weekly review ${period}: ${digest.executed} executed, ${digest.approved} approved, ${digest.rejected} rejected, ${digest.reverted} reverted (until ${utcTime(digest.to)})`,
    blocks,
  );
}

function top<T extends { count: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.count - a.count).slice(0, TOP);
}
