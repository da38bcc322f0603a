/** `02:45 UTC`, or `Mar 3 02:45 UTC` when not on the day of `now`: the way an incident channel reads times. */
export function utcTime(iso: string, now?: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const hhmm = at.toISOString().slice(11, 16);
  const sameDay = now && now.toISOString().slice(0, 10) === at.toISOString().slice(0, 10);
  if (sameDay || !now) return `${hhmm} UTC`;
  const day = at.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${day} ${hhmm} UTC`;
}
