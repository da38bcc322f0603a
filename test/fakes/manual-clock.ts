import type { Clock } from '../../src/domain/index.ts';

/** A clock that moves only when the test moves it. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2025-01-01T10:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
