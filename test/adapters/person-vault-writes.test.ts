import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCiphertextStore, WrappedKeyStore } from '../../functions/adapters/dynamodb-person-vault.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';
import { PersonDataConflict, type PersonVault } from '../../functions/ports/person-vault.js';
import { startDynalite } from '../support/dynalite.js';

/**
 * The vault's writes are conditional (issue 17): a person is stored once and never replaced by another under the
 * same id, and concurrent changes to one person's data are all kept. In memory and on dynalite through the SDK.
 */
const suites: [string, () => Promise<{ vault: PersonVault; stop(): Promise<void> }>][] = [
  ['in memory', async () => ({ vault: new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore()), stop: async () => {} })],
  [
    'DynamoDB on dynalite',
    async () => {
      const dynamo = await startDynalite();
      await ensureKeyValueTable(dynamo.client, 'vault', false);
      const vault = new EncryptedPersonVault(new WrappedKeyStore(dynamo.client, 'vault', new Uint8Array(randomBytes(32))), new DynamoCiphertextStore(dynamo.client, 'vault'));
      return { vault, stop: dynamo.stop };
    },
  ],
];

for (const [name, start] of suites) {
  describe(`person vault writes: ${name}`, () => {
    let h: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('stores a person once: the same data again is a retry, other data under the id is refused and changes nothing', async () => {
      await h.vault.put('p-1', { familyName: 'Martin', birthDate: '1990-04-02' });
      await h.vault.put('p-1', { familyName: 'Martin', birthDate: '1990-04-02' });
      await expect(h.vault.put('p-1', { familyName: 'Durand', birthDate: '1985-01-01' })).rejects.toBeInstanceOf(PersonDataConflict);
      expect(await h.vault.get('p-1')).toEqual({ familyName: 'Martin', birthDate: '1990-04-02' });
    });

    it('keeps every one of 12 concurrent notes on one person', async () => {
      await h.vault.put('p-2', { familyName: 'Leroy' });
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => h.vault.update('p-2', (p) => ({ ...p, notes: { ...p.notes, [`note-${i}`]: `reason ${i}` } }))));
      expect(results).toEqual(Array(12).fill(true));
      const stored = await h.vault.get('p-2');
      expect(Object.keys(stored?.notes ?? {}).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `note-${i}`).sort());
      expect(stored?.familyName).toBe('Leroy');
    });

    it('changes nothing for an unknown or an erased person', async () => {
      expect(await h.vault.update('nobody', (p) => ({ ...p, familyName: 'X' }))).toBe(false);
      await h.vault.put('p-3', { familyName: 'Petit' });
      await h.vault.forget('p-3');
      expect(await h.vault.update('p-3', (p) => ({ ...p, familyName: 'X' }))).toBe(false);
      expect(await h.vault.get('p-3')).toBeUndefined();
    });
  });
}
