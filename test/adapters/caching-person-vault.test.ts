import { describe, expect, it, vi } from 'vitest';
import { CachingPersonVault } from '../../functions/adapters/caching-person-vault.js';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';

describe('caching person vault', () => {
  const setup = () => {
    const inner = new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore());
    const get = vi.spyOn(inner, 'get');
    let now = 0;
    return { inner, get, vault: new CachingPersonVault(inner, { ttlMs: 1000, now: () => now }), tick: (ms: number) => (now += ms) };
  };

  it('answers from memory within the ttl, and asks again after', async () => {
    const { vault, get, tick } = setup();
    await vault.put('p1', { familyName: 'Moreau' });
    expect(await vault.get('p1')).toEqual({ familyName: 'Moreau' });
    expect(await vault.get('p1')).toEqual({ familyName: 'Moreau' });
    expect(get).toHaveBeenCalledTimes(1);
    tick(1001);
    await vault.get('p1');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('forgets at once what was erased or rewritten through it', async () => {
    const { vault } = setup();
    await vault.put('p1', { familyName: 'Moreau' });
    await vault.get('p1');
    await vault.update('p1', (p) => ({ ...p, familyName: 'Morel' }));
    expect(await vault.get('p1')).toEqual({ familyName: 'Morel' });
    await vault.forget('p1');
    expect(await vault.get('p1')).toBeUndefined();
  });

  it('hands out copies: a caller cannot change what others read', async () => {
    const { vault } = setup();
    await vault.put('p1', { familyName: 'Moreau' });
    (await vault.get('p1'))!.familyName = 'X';
    expect(await vault.get('p1')).toEqual({ familyName: 'Moreau' });
  });
});
