import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../functions/ports/event-store.js';
import type { SignInRecords, SignIns } from '../../functions/ports/sign-in-records.js';

export interface SignInRecordsHarness {
  records: SignInRecords;
  stop(): Promise<void>;
}

let n = 0;
const ledgerId = () => `person-${++n}-${Math.random().toString(36).slice(2)}`;
const DISABLED: SignIns = { accounts: { 'sub-1': { disabled: true, revokedBefore: 1_767_225_600 } } };

export function signInRecordsContract(name: string, start: () => Promise<SignInRecordsHarness>) {
  describe(`SignInRecords contract: ${name}`, () => {
    let h: SignInRecordsHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('a ledger id never written has no record', async () => {
      expect(await h.records.get(ledgerId())).toBeUndefined();
    });

    it('a record written is read back as written, with its version', async () => {
      const id = ledgerId();
      await h.records.put(id, DISABLED, 1, 0);
      expect(await h.records.get(id)).toEqual({ record: DISABLED, version: 1 });
      const erased: SignIns = { ...DISABLED, erased: true };
      await h.records.put(id, erased, 2, 1);
      expect(await h.records.get(id)).toEqual({ record: erased, version: 2 });
    });

    it('a write from a stale read is refused (ConcurrencyError) and changes nothing', async () => {
      const id = ledgerId();
      await h.records.put(id, { accounts: { a: { disabled: false } } }, 1, 0);
      await expect(h.records.put(id, DISABLED, 1, 0)).rejects.toBeInstanceOf(ConcurrencyError);
      await h.records.put(id, DISABLED, 2, 1);
      await expect(h.records.put(id, { accounts: {} }, 2, 1)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await h.records.get(id)).toEqual({ record: DISABLED, version: 2 });
    });

    it('of two writers that read the same version, one wins', async () => {
      const id = ledgerId();
      const outcomes = await Promise.allSettled([
        h.records.put(id, { accounts: { a: { disabled: true } } }, 1, 0),
        h.records.put(id, { accounts: { b: { disabled: true } } }, 1, 0),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(ConcurrencyError);
    });

    it('a record that is not a sign-in record is refused before it is written', async () => {
      const id = ledgerId();
      await expect(h.records.put(id, { accounts: { a: { disabled: 'yes' } } } as unknown as SignIns, 1, 0)).rejects.toThrow();
      expect(await h.records.get(id)).toBeUndefined();
    });
  });
}
