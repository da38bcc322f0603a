import type { Clock } from '../../src/domain/index.ts';

/** A clock tests move by hand; `sleep` advances it instead of waiting, so polling loops run instantly. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  sleep(ms: number): Promise<void>;
}

export function fakeClock(start = '2026-03-10T02:17:00Z'): FakeClock {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      now += ms;
    },
  };
}
