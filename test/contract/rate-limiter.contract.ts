import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimit, RateLimiter } from '../../functions/ports/rate-limiter.js';

export interface RateLimiterHarness {
  limiter(rule: RateLimit): RateLimiter;
  stop(): Promise<void>;
}

const T0 = Date.parse('2025-09-01T08:00:00.000Z');
let n = 0;
const key = () => `client-${++n}-${Math.random().toString(36).slice(2)}`;

export function rateLimiterContract(name: string, start: () => Promise<RateLimiterHarness>) {
  describe(`RateLimiter contract: ${name}`, () => {
    let h: RateLimiterHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('admits hits up to the limit in a window, then none, and says when the window ends', async () => {
      const limiter = h.limiter({ limit: 3, windowSeconds: 60 });
      const k = key();
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await limiter.take(k, T0 + i * 1000));
      expect(answers.map((a) => a.admitted)).toEqual([1, 1, 1, 0, 0]);
      expect(answers.every((a) => a.resetAt === T0 + 60_000)).toBe(true);
    });

    it('starts again in the next window', async () => {
      const limiter = h.limiter({ limit: 1, windowSeconds: 60 });
      const k = key();
      expect((await limiter.take(k, T0)).admitted).toBe(1);
      expect((await limiter.take(k, T0 + 59_999)).admitted).toBe(0);
      expect((await limiter.take(k, T0 + 60_000)).admitted).toBe(1);
    });

    it('counts each key apart', async () => {
      const limiter = h.limiter({ limit: 1, windowSeconds: 60 });
      const [a, b] = [key(), key()];
      expect((await limiter.take(a, T0)).admitted).toBe(1);
      expect((await limiter.take(b, T0)).admitted).toBe(1);
      expect((await limiter.take(a, T0)).admitted).toBe(0);
    });

    it('admits the first hits of a batch that crosses the limit', async () => {
      const limiter = h.limiter({ limit: 5, windowSeconds: 60 });
      const k = key();
      expect((await limiter.take(k, T0, 3)).admitted).toBe(3);
      expect((await limiter.take(k, T0, 4)).admitted).toBe(2);
      expect((await limiter.take(k, T0, 1)).admitted).toBe(0);
    });

    it('admits exactly the limit among 40 concurrent hits', async () => {
      const limiter = h.limiter({ limit: 10, windowSeconds: 60 });
      const k = key();
      const answers = await Promise.all(Array.from({ length: 40 }, () => limiter.take(k, T0)));
      expect(answers.reduce((sum, a) => sum + a.admitted, 0)).toBe(10);
    });

    it('shares the count between instances of the limiter', async () => {
      const [one, two] = [h.limiter({ limit: 4, windowSeconds: 60 }), h.limiter({ limit: 4, windowSeconds: 60 })];
      const k = key();
      const answers = await Promise.all([one, two, one, two, one, two].map((l) => l.take(k, T0)));
      expect(answers.reduce((sum, a) => sum + a.admitted, 0)).toBe(4);
    });
  });
}
