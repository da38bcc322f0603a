import type { GraphSpec } from '../../src/domain/index.ts';

/**
 * The 02:17 picture as data: memory flat near 2.1 GB all evening, climbing from 02:00 as the backup loads
 * it, 6.2 GB at 02:17; the 5 GB rule, an 8 GB limit, the backup window 02:00–02:45 and "now" inside it.
 */
export function storyGraphSpec(overrides: Partial<GraphSpec> = {}): GraphSpec {
  const now = Date.parse('2026-03-14T02:17:00Z');
  const backup = Date.parse('2026-03-14T02:00:00Z');
  const samples: { at: string; value: number }[] = [];
  for (let t = now - 6 * 3_600_000; t <= now; t += 60_000) {
    const climb = t > backup ? Math.min(1, (t - backup) / 600_000) : 0;
    samples.push({ at: new Date(t).toISOString(), value: 2.1e9 + climb * 4.1e9 });
  }
  return {
    title: 'databases/postgres-0 · memory',
    metric: 'container_memory_working_set_bytes',
    unit: 'bytes',
    samples,
    from: '2026-03-13T20:17:00.000Z',
    to: '2026-03-14T03:02:00.000Z',
    now: '2026-03-14T02:17:00.000Z',
    alertStart: '2026-03-14T02:16:00Z',
    threshold: { value: 5e9, rule: 'memory-pressure-restart', direction: 'above', forMs: 60_000 },
    limit: 8e9,
    windows: [
      {
        name: 'postgres-nightly-backup',
        kind: 'backup',
        start: '2026-03-14T02:00:00.000Z',
        end: '2026-03-14T02:45:00.000Z',
      },
    ],
    ...overrides,
  };
}
