/** "02:17 UTC": the graph's times are UTC, like the verdicts'. */
export function formatGraphTime(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}
