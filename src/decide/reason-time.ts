/**
 * How a time reads in a reason: `02:45 UTC` today-ish, with the date when it matters. UTC on purpose: an
 * on-call engineer compares it with alert timestamps, which are UTC; Slack renders local time separately.
 */
export function describeReasonTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hhmm = d.toISOString().slice(11, 16);
  return `${hhmm} UTC on ${d.toISOString().slice(0, 10)}`;
}
