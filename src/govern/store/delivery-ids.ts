import type { StateFile } from './state-file.ts';

type Delivery = StateFile['deliveries'][number];

export const DEFAULT_DELIVERY_RETENTION = { count: 10_000, ms: 24 * 3_600_000 } as const;

/**
 * The webhook deliveries already handled, so a resent one is recognised: kept in the state file oldest
 * first, bounded by count and age (whichever is hit first), with a set beside them for the look-up.
 */
export function createDeliveryIds(
  deliveries: () => Delivery[],
  retention: { readonly count: number; readonly ms: number } = DEFAULT_DELIVERY_RETENTION,
) {
  const seen = new Set(deliveries().map((d) => deliveryKey(d.source, d.id)));

  /** Trims the front while `drop` says so: the oldest go first. */
  function forget(drop: (oldest: Delivery) => boolean): void {
    const list = deliveries();
    for (let oldest = list[0]; oldest && drop(oldest); oldest = list[0]) {
      seen.delete(deliveryKey(oldest.source, oldest.id));
      list.shift();
    }
  }

  return {
    /** Records a delivery not seen before and says true; a repeat changes nothing and says false. */
    admit(source: string, id: string, at: Date): boolean {
      forget((d) => Date.parse(d.at) < at.getTime() - retention.ms);
      const key = deliveryKey(source, id);
      if (seen.has(key)) return false;
      forget(() => deliveries().length >= retention.count);
      deliveries().push({ source, id, at: at.toISOString() });
      seen.add(key);
      return true;
    },
  };
}

function deliveryKey(source: string, id: string): string {
  return JSON.stringify([source, id]);
}
