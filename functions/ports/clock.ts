/** The ledger's time: what commands record as when things happened. */
export interface Clock {
  /** ISO 8601 UTC instant with milliseconds. */
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };
