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

  it('shares one read of the vault among the requests that ask for a person while it is out', async () => {
    const { vault, get } = setup();
    await vault.put('p1', { familyName: 'Moreau' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => vault.get('p1')));
    expect(answers.every((a) => a?.familyName === 'Moreau')).toBe(true);
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('reads an entry still in use again in the background before it expires, never serving it past the ttl', async () => {
    const { inner, vault, get, tick } = setup();
    await vault.put('p1', { familyName: 'Moreau' });
    await vault.get('p1');
    tick(700);
    // Past two thirds of its life: answered from memory at once, and read again behind the answer.
    expect(await vault.get('p1')).toEqual({ familyName: 'Moreau' });
    await vi.waitFor(() => expect(get).toHaveBeenCalledTimes(2));
    // Erased by another instance meanwhile (the inner vault directly): seen within the ttl of the last read.
    await inner.forget('p1');
    tick(400); // 1100 ms after the first read: the refreshed entry, read at 700, still answers
    expect(await vault.get('p1')).toEqual({ familyName: 'Moreau' });
    expect(get).toHaveBeenCalledTimes(2);
    tick(600); // 1000 ms after the refresh was asked: read again, on the request's path
    expect(await vault.get('p1')).toBeUndefined();
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('does not keep what a read answered when a write through it came after the read was asked', async () => {
    const { inner, vault } = setup();
    await vault.put('p1', { familyName: 'Moreau' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const read = inner.get.bind(inner);
    vi.spyOn(inner, 'get').mockImplementationOnce(async (id) => {
      const data = await read(id);
      await held;
      return data;
    });
    const before = vault.get('p1');
    await vault.update('p1', (p) => ({ ...p, familyName: 'Morel' }));
    release();
    expect(await before).toEqual({ familyName: 'Moreau' });
    expect(await vault.get('p1')).toEqual({ familyName: 'Morel' });
  });
});
