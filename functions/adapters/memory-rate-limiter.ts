import { admittedOf, windowOf, type RateCount, type RateLimit, type RateLimiter } from '../ports/rate-limiter.js';

export class MemoryRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  private readonly counts = new Map<string, number>();

  constructor(rule: RateLimit) {
    this.limit = rule.limit;
    this.windowSeconds = rule.windowSeconds;
  }

  async take(key: string, nowMs: number, hits = 1): Promise<RateCount> {
    const window = windowOf(nowMs, this.windowSeconds);
    const id = `${key}#${window.start}`;
    const before = this.counts.get(id) ?? 0;
    if (before >= this.limit) return { admitted: 0, resetAt: window.end };
    this.counts.set(id, before + hits);
    return { admitted: admittedOf(before + hits, hits, this.limit), resetAt: window.end };
  }
}
