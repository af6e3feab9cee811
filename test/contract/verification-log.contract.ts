import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationLog, VerificationRecord, VerificationWindow } from '../../functions/ports/verification-log.js';

export interface VerificationLogHarness {
  log: VerificationLog;
  stop(): Promise<void>;
}

let n = 0;
const code = () => `TEST-${++n}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
const entry = (c: string, i: number, over: Partial<VerificationRecord> = {}): VerificationRecord => ({
  code: c,
  at: new Date(Date.parse('2025-09-01T08:00:00.000Z') + i * 1000).toISOString(),
  requestId: `request-${i}`,
  status: 'valid',
  asOf: '2025-09-01',
  familyNameChecked: false,
  ...over,
});

/** Wide enough for every record of these tests. */
const ALL: VerificationWindow = { since: '2000-01-01T00:00:00.000Z', limit: 1000 };

export function verificationLogContract(name: string, start: () => Promise<VerificationLogHarness>) {
  describe(`VerificationLog contract: ${name}`, () => {
    let h: VerificationLogHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('lists what was recorded for a code, oldest first, field for field', async () => {
      const c = code();
      const second = entry(c, 2, { status: 'revoked', asOf: '2025-08-01', familyNameChecked: true, familyNameMatches: false });
      await h.log.record(second);
      await h.log.record(entry(c, 1));
      expect(await h.log.list(c, ALL)).toEqual([entry(c, 1), second]);
    });

    it('keeps each code apart, and knows nothing of an unknown one', async () => {
      const [a, b] = [code(), code()];
      await h.log.record(entry(a, 1));
      expect(await h.log.list(b, ALL)).toEqual([]);
    });

    it('records every one of 80 concurrent verifications of one code', async () => {
      const c = code();
      await Promise.all(Array.from({ length: 80 }, (_, i) => h.log.record(entry(c, i))));
      const listed = await h.log.list(c, ALL);
      expect(listed).toHaveLength(80);
      expect(new Set(listed.map((r) => r.requestId)).size).toBe(80);
    });

    it('lists the newest `limit` records answered since `since`, oldest first, whatever the log holds', async () => {
      const c = code();
      await Promise.all(Array.from({ length: 30 }, (_, i) => h.log.record(entry(c, i))));
      const since = entry(c, 5).at;
      expect((await h.log.list(c, { since, limit: 10 })).map((r) => r.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `request-${20 + i}`));
      expect((await h.log.list(c, { since, limit: 100 })).map((r) => r.requestId)).toEqual(Array.from({ length: 25 }, (_, i) => `request-${5 + i}`));
      expect(await h.log.list(c, { since: '2030-01-01T00:00:00.000Z', limit: 100 })).toEqual([]);
    });

    it('writes a record sent twice once', async () => {
      const c = code();
      await Promise.all([h.log.record(entry(c, 1)), h.log.record(entry(c, 1))]);
      await h.log.record(entry(c, 1));
      expect(await h.log.list(c, ALL)).toHaveLength(1);
    });
  });
}
