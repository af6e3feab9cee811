import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROGRESS_TTL_MS, type IdempotencyStore } from '../../functions/ports/idempotency-store.js';

export interface IdempotencyHarness {
  store: IdempotencyStore;
  stop(): Promise<void>;
}

const T0 = Date.parse('2025-09-01T08:00:00.000Z');
let n = 0;
const key = () => `acct|POST /candidates|k-${++n}-${Math.random().toString(36).slice(2)}`;
const ANSWER = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"candidateId":"c1"}' };

export function idempotencyStoreContract(name: string, start: () => Promise<IdempotencyHarness>) {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let h: IdempotencyHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('a new key is claimed with the nonce given; once complete, the same request replays the answer', async () => {
      const k = key();
      expect(await h.store.begin(k, 'f1', T0, 'n1')).toEqual({ state: 'new', nonce: 'n1' });
      await h.store.complete(k, 'f1', ANSWER);
      expect(await h.store.begin(k, 'f1', T0 + 1000, 'n2')).toEqual({ state: 'replay', response: ANSWER });
    });

    it('another request with the same key is a mismatch; the same one still running is in progress', async () => {
      const k = key();
      await h.store.begin(k, 'f1', T0, 'n1');
      expect(await h.store.begin(k, 'f1', T0 + 10, 'n2')).toEqual({ state: 'in-progress' });
      expect(await h.store.begin(k, 'f2', T0 + 10, 'n2')).toEqual({ state: 'mismatch' });
    });

    it('a retry after the first attempt died takes its claim over with the first nonce (the same ids)', async () => {
      const k = key();
      await h.store.begin(k, 'f1', T0, 'first');
      expect(await h.store.begin(k, 'f1', T0 + IN_PROGRESS_TTL_MS + 1, 'second')).toEqual({ state: 'new', nonce: 'first' });
    });

    it('a released key, or one whose record expired, is claimed afresh with the new nonce', async () => {
      const k = key();
      await h.store.begin(k, 'f1', T0, 'first');
      await h.store.release(k);
      expect(await h.store.begin(k, 'f1', T0 + 5, 'second')).toEqual({ state: 'new', nonce: 'second' });
    });

    it('of concurrent claims of one key, exactly one is new', async () => {
      const k = key();
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => h.store.begin(k, 'f1', T0, `n${i}`)));
      expect(claims.filter((c) => c.state === 'new')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in-progress')).toHaveLength(9);
    });
  });
}
