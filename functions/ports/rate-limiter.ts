/** What a rate limiter answers for some hits of one key. */
export interface RateCount {
  /** How many of these hits fit under the limit: the first ones of them, and 0 once the window is full. */
  admitted: number;
  /** When the current window ends (epoch milliseconds): the time to retry after. */
  resetAt: number;
}

/**
 * A fixed-window counter per key (a client address), shared by every instance: DynamoDB in AWS and locally,
 * in memory in tests. Every adapter passes test/contract/rate-limiter.contract.ts.
 */
export interface RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  /** Counts `hits` (default 1) for `key` in the window holding `nowMs`. */
  take(key: string, nowMs: number, hits?: number): Promise<RateCount>;
}

export interface RateLimit {
  /** Hits allowed per key and window. */
  limit: number;
  windowSeconds: number;
}

export const windowOf = (nowMs: number, windowSeconds: number) => {
  const size = windowSeconds * 1000;
  const start = Math.floor(nowMs / size) * size;
  return { start, end: start + size };
};

/** How many of `hits` fit when the window's count, these hits included, reached `count`. */
export const admittedOf = (count: number, hits: number, limit: number) => Math.max(0, Math.min(hits, limit - (count - hits)));
