import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isTally,
  TALLY_OUTCOMES,
  VERIFICATIONS_KEPT_PER_DAY,
  verificationsIn,
  type VerificationEntry,
  type VerificationLog,
  type VerificationRecord,
  type VerificationWindow,
} from '../../functions/ports/verification-log.js';

export interface VerificationLogHarness {
  log: VerificationLog;
  /** Another instance writing to the same store (a second Lambda container). */
  another(): VerificationLog;
  /** How many items (entries and day counters) the store holds for a code: what the cap bounds. */
  storedItems(code: string): Promise<number>;
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

/** The request of a verification kept one by one (a tally has none). */
const requestIdOf = (e: VerificationEntry) => (isTally(e) ? undefined : e.requestId);

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
      expect(new Set(listed.map(requestIdOf)).size).toBe(80);
    });

    it('lists the newest `limit` records answered since `since`, oldest first, whatever the log holds', async () => {
      const c = code();
      await Promise.all(Array.from({ length: 30 }, (_, i) => h.log.record(entry(c, i))));
      const since = entry(c, 5).at;
      expect((await h.log.list(c, { since, limit: 10 })).map(requestIdOf)).toEqual(Array.from({ length: 10 }, (_, i) => `request-${20 + i}`));
      expect((await h.log.list(c, { since, limit: 100 })).map(requestIdOf)).toEqual(Array.from({ length: 25 }, (_, i) => `request-${5 + i}`));
      expect(await h.log.list(c, { since: '2030-01-01T00:00:00.000Z', limit: 100 })).toEqual([]);
    });

    it('writes a record sent twice once', async () => {
      const c = code();
      await Promise.all([h.log.record(entry(c, 1)), h.log.record(entry(c, 1))]);
      await h.log.record(entry(c, 1));
      expect(await h.log.list(c, ALL)).toHaveLength(1);
    });

    // Issue 17: a bot verifying one code all day stores a bounded number of items, and every verification counts.
    it('keeps 10,000 verifications of one code in one day in at most KEPT + 12 tallies + 1 items, each counted once per outcome', async () => {
      const c = code();
      const outcomes: Partial<VerificationRecord>[] = [
        {},
        { familyNameChecked: true, familyNameMatches: true },
        { familyNameChecked: true, familyNameMatches: false },
        { status: 'revoked', asOf: '2025-08-31' },
        { status: 'not_yet_issued', asOf: '2020-01-01' },
      ];
      // Spread over one day (8.64 s apart), each outcome in turn; 500 of them handed over a second time.
      const records = Array.from({ length: 10_000 }, (_, i) =>
        entry(c, 0, { at: new Date(Date.parse('2025-09-01T00:00:00.000Z') + i * 8_640).toISOString(), requestId: `request-${i}`, ...outcomes[i % outcomes.length] }),
      );
      const recorded = records.map((r) => h.log.record(r));
      recorded.push(...records.filter((_, i) => i % 20 === 0).map((r) => h.log.record(r)));
      await h.log.flush();
      await Promise.all(recorded);

      expect(await h.storedItems(c)).toBeLessThanOrEqual(VERIFICATIONS_KEPT_PER_DAY + TALLY_OUTCOMES + 1);
      const listed = await h.log.list(c, ALL);
      expect(listed.reduce((n, e) => n + verificationsIn(e), 0)).toBe(10_000);
      const kept = listed.filter((e) => !isTally(e)) as VerificationRecord[];
      expect(kept).toHaveLength(VERIFICATIONS_KEPT_PER_DAY);
      expect(new Set(kept.map((r) => r.requestId)).size).toBe(VERIFICATIONS_KEPT_PER_DAY);
      // Per outcome: what was kept plus what was tallied is what was answered.
      const outcomeOf = (e: VerificationEntry) => `${e.status} ${e.familyNameChecked} ${e.familyNameMatches}`;
      const counted = new Map<string, number>();
      for (const e of listed) counted.set(outcomeOf(e), (counted.get(outcomeOf(e)) ?? 0) + verificationsIn(e));
      expect(Object.fromEntries(counted)).toEqual({
        'valid false undefined': 2000,
        'valid true true': 2000,
        'valid true false': 2000,
        'revoked false undefined': 2000,
        'not_yet_issued false undefined': 2000,
      });
      // A tally follows its day's verifications and spans the ones it counts.
      expect(isTally(listed.at(-1)!)).toBe(true);
      for (const tally of listed.filter(isTally)) expect(tally.firstAt <= tally.at && tally.at.startsWith('2025-09-01')).toBe(true);
      expect(listed.filter(isTally).every((t) => t.code === c)).toBe(true);
    });

    it('starts each day with its verifications kept one by one again', async () => {
      const c = code();
      const day = (d: string, n: number) =>
        Array.from({ length: n }, (_, i) =>
          entry(c, 0, { at: `${d}T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`, requestId: `${d}-${i}` }),
        );
      await Promise.all([...day('2025-09-01', VERIFICATIONS_KEPT_PER_DAY + 30), ...day('2025-09-02', 40)].map((r) => h.log.record(r)));
      const listed = await h.log.list(c, ALL);
      expect(listed.filter((e) => !isTally(e) && e.at.startsWith('2025-09-01'))).toHaveLength(VERIFICATIONS_KEPT_PER_DAY);
      expect(listed.filter((e) => isTally(e)).map((e) => [e.at.slice(0, 10), verificationsIn(e)])).toEqual([['2025-09-01', 30]]);
      expect(listed.filter((e) => e.at.startsWith('2025-09-02')).every((e) => !isTally(e))).toBe(true);
      expect(listed.filter((e) => e.at.startsWith('2025-09-02'))).toHaveLength(40);
      // The newest entries first: the limit counts a tally as one line.
      expect((await h.log.list(c, { since: ALL.since, limit: 41 })).map((e) => e.at.slice(0, 10))).toEqual(['2025-09-01', ...Array(40).fill('2025-09-02')]);
    });

    it('two instances writing one code share its day cap and count every verification', async () => {
      const c = code();
      const other = h.another();
      const records = Array.from({ length: 600 }, (_, i) => entry(c, i, { requestId: `request-${i}` }));
      await Promise.all(records.map((r, i) => (i % 2 ? other : h.log).record(r)));
      await Promise.all([h.log.flush(), other.flush()]);
      const listed = await h.log.list(c, ALL);
      expect(listed.reduce((n, e) => n + verificationsIn(e), 0)).toBe(600);
      expect(listed.filter((e) => !isTally(e))).toHaveLength(VERIFICATIONS_KEPT_PER_DAY);
      expect(await h.storedItems(c)).toBeLessThanOrEqual(VERIFICATIONS_KEPT_PER_DAY + TALLY_OUTCOMES + 1);
    });
  });
}
