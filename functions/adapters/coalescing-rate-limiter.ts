import { windowOf, type RateCount, type RateLimiter } from '../ports/rate-limiter.js';

interface Waiter {
  hits: number;
  resolve(count: RateCount): void;
  reject(error: unknown): void;
}

interface KeyState {
  window: number;
  /** The shared count said this window is full: refuse without asking again until it ends. */
  full: boolean;
  inFlight: boolean;
  queue: Waiter[];
}

/**
 * Puts the hits of one key that arrive while its counter update is in flight into the next update: one
 * conditional ADD of their sum instead of one round trip each, shared out in arrival order. The count stays
 * exact and shared across instances (the store decides), a busy address costs one update per round trip
 * whatever its rate, and once its window is full it is refused without any I/O until the window ends.
 */
export class CoalescingRateLimiter implements RateLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly inner: RateLimiter) {}

  get limit() {
    return this.inner.limit;
  }
  get windowSeconds() {
    return this.inner.windowSeconds;
  }

  take(key: string, nowMs: number, hits = 1): Promise<RateCount> {
    const window = windowOf(nowMs, this.windowSeconds);
    let state = this.keys.get(key);
    if (!state || state.window !== window.start) {
      state = { window: window.start, full: false, inFlight: false, queue: [] };
      this.keys.set(key, state);
      this.forgetOldWindows(window.start);
    }
    if (state.full) return Promise.resolve({ admitted: 0, resetAt: window.end });
    const promise = new Promise<RateCount>((resolve, reject) => state.queue.push({ hits, resolve, reject }));
    if (!state.inFlight) void this.flush(key, state, nowMs);
    return promise;
  }

  private async flush(key: string, state: KeyState, nowMs: number): Promise<void> {
    state.inFlight = true;
    while (state.queue.length) {
      const batch = state.queue.splice(0);
      const total = batch.reduce((n, w) => n + w.hits, 0);
      try {
        const { admitted, resetAt } = await this.inner.take(key, nowMs, total);
        if (admitted < total) state.full = true;
        let left = admitted;
        for (const waiter of batch) {
          const mine = Math.min(waiter.hits, left);
          left -= mine;
          waiter.resolve({ admitted: mine, resetAt });
        }
        if (state.full) for (const waiter of state.queue.splice(0)) waiter.resolve({ admitted: 0, resetAt });
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    state.inFlight = false;
  }

  private forgetOldWindows(current: number) {
    if (this.keys.size < 10_000) return;
    for (const [key, state] of this.keys) if (state.window !== current && !state.inFlight) this.keys.delete(key);
  }
}
