import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PersonalData, PersonDataConflict, type PersonVault } from '../../functions/ports/person-vault.js';

export interface PersonVaultHarness {
  vault: PersonVault;
  /** Another instance over the same storage (another Lambda, or the ledger after a restart), when the adapter has one. */
  sibling?: PersonVault;
  stop(): Promise<void>;
}

const person = (name: string) => `candidate#${name}-${Math.random().toString(36).slice(2, 10)}`;
const camille: PersonalData = {
  familyName: 'Moreau',
  givenNames: 'Camille Anaïs',
  birthDate: '1994-03-02',
  email: 'camille.moreau@example.org',
  notes: { 'recusal:juror#j1': 'lien familial déclaré' },
};

export function personVaultContract(name: string, start: () => Promise<PersonVaultHarness>) {
  describe(`PersonVault contract: ${name}`, () => {
    let h: PersonVaultHarness;
    beforeAll(async () => {
      h = await start();
    }, 600_000);
    afterAll(async () => h?.stop());

    it('what is put is read back whole; an unknown person is undefined', async () => {
      const id = person('k1');
      expect(await h.vault.get(id)).toBeUndefined();
      await h.vault.put(id, camille);
      expect(await h.vault.get(id)).toEqual(camille);
      expect(await h.vault.get(person('k1'))).toBeUndefined();
    });

    it('a person is stored once: the same data again is a retry, other data under the id is refused and changes nothing', async () => {
      const id = person('k2');
      await h.vault.put(id, camille);
      await h.vault.put(id, camille);
      await expect(h.vault.put(id, { ...camille, familyName: 'Morel' })).rejects.toBeInstanceOf(PersonDataConflict);
      expect(await h.vault.get(id)).toEqual(camille);
      if (h.sibling) expect(await h.sibling.get(id)).toEqual(camille);
    });

    it('update changes the data in place, and another instance over the same storage reads the latest', async () => {
      const id = person('k3');
      await h.vault.put(id, camille);
      expect(await h.vault.update(id, (p) => ({ ...p, familyName: 'Morel', notes: {} }))).toBe(true);
      expect(await h.vault.get(id)).toEqual({ ...camille, familyName: 'Morel', notes: {} });
      if (h.sibling) expect(await h.sibling.get(id)).toEqual({ ...camille, familyName: 'Morel', notes: {} });
    });

    it('keeps every one of 12 concurrent notes on one person (optimistic updates, none lost)', async () => {
      const id = person('notes');
      await h.vault.put(id, camille);
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => h.vault.update(id, (p) => ({ ...p, notes: { ...p.notes, [`note-${i}`]: `reason ${i}` } }))));
      expect(results).toEqual(Array(12).fill(true));
      const stored = await h.vault.get(id);
      expect(Object.keys(stored?.notes ?? {}).sort()).toEqual([...Object.keys(camille.notes ?? {}), ...Array.from({ length: 12 }, (_, i) => `note-${i}`)].sort());
    });

    it('update changes nothing for an unknown or an erased person', async () => {
      expect(await h.vault.update(person('nobody'), (p) => ({ ...p, familyName: 'X' }))).toBe(false);
      const erased = person('erased-update');
      await h.vault.put(erased, camille);
      await h.vault.forget(erased);
      expect(await h.vault.update(erased, (p) => ({ ...p, familyName: 'X' }))).toBe(false);
      expect(await h.vault.get(erased)).toBeUndefined();
    });

    it('forget destroys the person for good: nothing reads, nothing can be stored again; others are untouched', async () => {
      const erased = person('erased');
      const kept = person('kept');
      await h.vault.put(erased, camille);
      await h.vault.put(kept, { familyName: 'Petit' });
      await h.vault.forget(erased);
      expect(await h.vault.get(erased)).toBeUndefined();
      if (h.sibling) expect(await h.sibling.get(erased)).toBeUndefined();
      await expect(h.vault.put(erased, { familyName: 'Moreau' })).rejects.toThrow();
      expect(await h.vault.get(erased)).toBeUndefined();
      expect(await h.vault.get(kept)).toEqual({ familyName: 'Petit' });
    });

    it('derives a secret per person and purpose, the same each time and from a sibling, none for an unknown or erased person', async () => {
      const id = person('secret');
      expect(await h.vault.secretFor(id, 'openid4vci-tx-code')).toBeUndefined();
      await h.vault.put(id, camille);
      const secret = await h.vault.secretFor(id, 'openid4vci-tx-code');
      expect(secret?.length).toBe(32);
      expect(await h.vault.secretFor(id, 'openid4vci-tx-code')).toEqual(secret);
      if (h.sibling) expect(await h.sibling.secretFor(id, 'openid4vci-tx-code')).toEqual(secret);
      expect(await h.vault.secretFor(id, 'another-purpose')).not.toEqual(secret);
      const other = person('secret');
      await h.vault.put(other, camille);
      expect(await h.vault.secretFor(other, 'openid4vci-tx-code')).not.toEqual(secret);
      await h.vault.forget(id);
      expect(await h.vault.secretFor(id, 'openid4vci-tx-code')).toBeUndefined();
    });

    it('a person erased before anything was stored can never be stored (the tombstone holds)', async () => {
      const id = person('never');
      await h.vault.forget(id);
      await expect(h.vault.put(id, camille)).rejects.toThrow();
      expect(await h.vault.get(id)).toBeUndefined();
      await h.vault.forget(id); // erasing twice is no error
    });

    it('concurrent first puts of one person: exactly one set of data is stored, the others are refused, never mixed', async () => {
      const id = person('race');
      const writes = Array.from({ length: 8 }, (_, i) => ({ familyName: `Moreau-${i}` }));
      const outcomes = await Promise.allSettled(writes.map((data) => h.vault.put(id, data)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(PersonDataConflict);
      const read = await h.vault.get(id);
      expect(writes).toContainEqual(read);
      if (h.sibling) expect(await h.sibling.get(id)).toEqual(read);
    });

    it('refuses data outside the schema, storing nothing', async () => {
      const id = person('bad');
      await expect(h.vault.put(id, { familyName: 42 } as unknown as PersonalData)).rejects.toThrow();
      expect(await h.vault.get(id)).toBeUndefined();
    });

    it('hands out copies: a caller changing what it read changes nothing stored', async () => {
      const id = person('copy');
      await h.vault.put(id, { familyName: 'Moreau', notes: { a: 'b' } });
      const read = await h.vault.get(id);
      read!.familyName = 'X';
      read!.notes!.a = 'changed';
      expect(await h.vault.get(id)).toEqual({ familyName: 'Moreau', notes: { a: 'b' } });
    });
  });
}
