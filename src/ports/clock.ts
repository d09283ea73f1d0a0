/** Where time comes from: injected so schedules are tested without sleeping. */
export interface Clock {
  now(): Date;
}

/** The real clock, for production. */
export const systemClock: Clock = { now: () => new Date() };
