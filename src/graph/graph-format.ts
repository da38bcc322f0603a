/** 6200000000 bytes → "6.2 GB"; other values → "1.5k", "42". Decimal units, as the policy file writes 5GB. */
export function formatGraphValue(value: number, unit: 'bytes' | 'number'): string {
  const steps = [
    ['T', 1e12],
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ] as const;
  for (const [prefix, size] of steps) {
    if (Math.abs(value) >= size) {
      const n = Number((value / size).toFixed(value / size >= 100 ? 0 : 1));
      return unit === 'bytes' ? `${n} ${prefix === 'k' ? 'kB' : `${prefix}B`}` : `${n}${prefix}`;
    }
  }
  const n = Number(value.toFixed(2));
  return unit === 'bytes' ? `${n} B` : `${n}`;
}

/** "02:17 UTC": the graph's times are UTC, like the verdicts'. */
export function formatGraphTime(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}
