import { windowOf, type RateCount, type RateLimiter } from '../ports/rate-limiter.js';

interface Waiter {
  hits: number;
  resolve(count: RateCount): void;
  reject(error: unknown): void;
}

/**
 * A busy address's lease covers about this much of its demand: a top-up per round trip would cost one conditional
 * ADD every few milliseconds under a flood (measured: a third of the verify bench's DynamoDB calls), for no
 * tighter limit, since what a lease may lose at the window's end is capped apart (a tenth of the limit).
 */
const LEASE_AHEAD_MS = 250;

interface KeyState {
  window: number;
  end: number;
  /** Hits this instance leased from the shared count and has not handed out yet. */
  granted: number;
  /** The shared count refused part of a lease: this window is full, nothing more will be leased. */
  full: boolean;
  inFlight: boolean;
  /** Hits waiting for a lease, in arrival order. */
  queue: Waiter[];
  /** Hits asked while the current lease was in flight: the demand of one round trip. */
  arrived: number;
  /** How many hits to lease ahead of demand: the demand of LEASE_AHEAD_MS as the last round trip measured it, capped. */
  ahead: number;
}

/**
 * Keeps the shared limiter off the hot path without loosening it. Each instance leases hits from the shared
 * count (the inner limiter: one conditional ADD in DynamoDB for many hits) and hands them out from memory, so a
 * busy address is answered without any I/O while its lease lasts. The lease is topped up in the background
 * before it runs out, by the demand of a quarter of a second as the last round trip measured it (at most a tenth of the limit). Hits that
 * find no lease wait for the next top-up, together (one round trip for all of them), in arrival order.
 *
 * The limit stays exact across instances: nothing is admitted that the shared count did not grant. What a lease
 * costs is the other way round: hits leased ahead and not used by the end of the window are lost to that address
 * (at most a tenth of the limit per instance). A quiet address leases exactly what it asks, as before.
 */
export class LeasingRateLimiter implements RateLimiter {
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
      state = { window: window.start, end: window.end, granted: 0, full: false, inFlight: false, queue: [], arrived: 0, ahead: 0 };
      this.keys.set(key, state);
      this.forgetOldWindows(window.start);
    }
    if (state.inFlight) state.arrived += hits;
    if (state.queue.length === 0 && state.granted >= hits) {
      state.granted -= hits;
      if (!state.full && !state.inFlight && state.granted < state.ahead) void this.lease(key, state, nowMs);
      return Promise.resolve({ admitted: hits, resetAt: state.end });
    }
    if (state.full) {
      const admitted = state.queue.length === 0 ? Math.min(hits, state.granted) : 0;
      state.granted -= admitted;
      return Promise.resolve({ admitted, resetAt: state.end });
    }
    const answer = new Promise<RateCount>((resolve, reject) => state.queue.push({ hits, resolve, reject }));
    if (!state.inFlight) void this.lease(key, state, nowMs);
    return answer;
  }

  private async lease(key: string, state: KeyState, nowMs: number): Promise<void> {
    state.inFlight = true;
    do {
      const waiting = state.queue.reduce((n, w) => n + w.hits, 0);
      // Enough for those waiting, plus two round trips of demand to hand out while the next top-up is out.
      const ask = waiting + 2 * state.ahead - state.granted;
      if (ask <= 0) {
        this.serve(state, state.queue.splice(0));
        break;
      }
      const round = state.queue.splice(0);
      state.arrived = 0;
      const sent = performance.now();
      try {
        const { admitted } = await this.inner.take(key, nowMs, ask);
        state.granted += admitted;
        if (admitted < ask) state.full = true;
      } catch (error) {
        for (const w of round) w.reject(error);
        // Whoever arrived meanwhile asks again on their own.
        continue;
      }
      const roundTripMs = Math.max(1, performance.now() - sent);
      state.ahead = Math.min(Math.ceil(state.arrived * Math.max(1, LEASE_AHEAD_MS / roundTripMs)), Math.max(1, Math.floor(this.limit / 10)));
      // Those who waited first, in order; then those who arrived during the round trip, if the lease covers them.
      this.serve(state, [...round, ...state.queue.splice(0)]);
    } while (state.queue.length && !state.full);
    if (state.full) for (const w of state.queue.splice(0)) w.resolve({ admitted: 0, resetAt: state.end });
    state.inFlight = false;
  }

  /** Hands out the lease in order; who does not fit waits for the next top-up (or gets what is left, once full). */
  private serve(state: KeyState, waiters: Waiter[]) {
    for (const w of waiters) {
      const mine = Math.min(w.hits, state.granted);
      if (mine < w.hits && !state.full) {
        state.queue.push(w);
        continue;
      }
      state.granted -= mine;
      w.resolve({ admitted: mine, resetAt: state.end });
    }
  }

  private forgetOldWindows(current: number) {
    if (this.keys.size < 10_000) return;
    for (const [key, state] of this.keys) if (state.window !== current && !state.inFlight) this.keys.delete(key);
  }
}
