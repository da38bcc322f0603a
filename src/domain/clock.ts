/** Time is a port: production reads the system clock, tests move a fake one. Nothing else calls Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
