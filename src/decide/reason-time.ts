/**
 * How a time reads in a reason: `02:45 UTC` today-ish, with the date when it matters. UTC on purpose: an
 * on-call engineer compares it with alert timestamps, which are UTC; Slack renders local time separately.
 */
export function describeReasonTime(iso: string, today?: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hhmm = d.toISOString().slice(11, 16);
  const day = d.toISOString().slice(0, 10);
  // Said about the same UTC day as the decision, the date is noise: "running since 02:00 UTC".
  return today && today.toISOString().slice(0, 10) === day ? `${hhmm} UTC` : `${hhmm} UTC on ${day}`;
}

/** A rough length the way people say it: `about 40 min`, `about 2.5 h`. */
export function describeAbout(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return minutes < 90 ? `about ${minutes} min` : `about ${Number((minutes / 60).toFixed(1))} h`;
}

/** How long ago, in words: `10 minutes ago`, `1 minute ago`, `3 hours 5 minutes ago`. */
export function describeAgo(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${plural(hours, 'hour')}${rest ? ` ${plural(rest, 'minute')}` : ''} ago`;
}
