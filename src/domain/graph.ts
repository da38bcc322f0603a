/**
 * What an incident's metric graph shows, as plain data: govern/ gathers it, graph/ draws it, slack/ and the
 * CLI carry the picture. Times are ISO instants; values are in the metric's own unit.
 */
export interface GraphSpec {
  /** The heading: what is drawn, for whom (`postgres-0 · container_memory_working_set_bytes`). */
  readonly title: string;
  readonly metric: string;
  /** `bytes` draws 5 GB, not 5000000000. */
  readonly unit: 'bytes' | 'number';
  readonly samples: readonly { readonly at: string; readonly value: number }[];
  /** The span of the x axis. */
  readonly from: string;
  readonly to: string;
  readonly now: string;
  /** When the alert started firing, when it is known. */
  readonly alertStart?: string;
  /** The rule's threshold (`when.metric.above` or `below`), drawn as a line and named after the rule. */
  readonly threshold?: {
    readonly value: number;
    readonly rule: string;
    readonly direction: 'above' | 'below';
    readonly forMs: number;
  };
  /** The pod's memory limit, in bytes, drawn as a line when known. */
  readonly limit?: number;
  /** Every window that covers the target within the span, shaded and named. */
  readonly windows: readonly {
    readonly name: string;
    readonly kind: string;
    readonly start: string;
    readonly end: string;
  }[];
}

/** A rendered graph on its way to the incident's thread. */
export interface GraphFile {
  readonly filename: string;
  readonly title: string;
  /** What the picture shows, for screen readers and for Slack's alt text. */
  readonly altText: string;
  readonly png: Uint8Array;
}

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
