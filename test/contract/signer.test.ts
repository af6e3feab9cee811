import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileKeyRingStore, KeyRingSigner, MemoryKeyRingStore } from '../../functions/adapters/key-ring-signer.js';
import { KmsSigner, type KmsSigningKey } from '../../functions/adapters/kms-signer.js';
import { TestClock } from '../support/memory-deps.js';
import { mockKms } from '../support/kms-mock.js';
import { signerContract } from './signer.contract.js';

signerContract('in-memory key ring', async () => {
  const signer = new KeyRingSigner(new MemoryKeyRingStore(), new TestClock());
  return { signer: () => signer, rotate: async () => void (await signer.rotate()), stop: async () => {} };
});

signerContract('key files in the data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
  const clock = new TestClock();
  const signer = new KeyRingSigner(new FileKeyRingStore(dir), clock);
  return {
    signer: () => signer,
    rotate: async () => {
      clock.set('2026-01-01T00:00:00Z');
      await signer.rotate();
    },
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

signerContract('KMS (aws-sdk-client-mock signing with real P-256 keys)', async () => {
  const { kms, mock, createKey } = mockKms();
  let keys: KmsSigningKey[] = [{ keyId: createKey('key-2025'), validFrom: '2025-01-01T00:00:00.000Z' }];
  let signer = new KmsSigner(kms, keys);
  return {
    signer: () => signer,
    // KMS keys do not rotate: a new key is deployed and the previous one listed with its closed window.
    rotate: async () => {
      keys = [
        { ...keys[0]!, validUntil: '2026-01-01T00:00:00.000Z' },
        { keyId: createKey('key-2026'), validFrom: '2026-01-01T00:00:00.000Z' },
      ];
      signer = new KmsSigner(kms, keys);
    },
    stop: async () => void mock.restore(),
  };
});

describe('local key files', () => {
  it('keeps one file per key, readable by the owner only, and the same keys after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
    try {
      const clock = new TestClock();
      const first = new KeyRingSigner(new FileKeyRingStore(dir), clock);
      const { kid } = await first.sign(new Uint8Array([1]));
      expect(readdirSync(dir)).toEqual([`${kid}.json`]);
      expect(statSync(join(dir, `${kid}.json`)).mode & 0o777).toBe(0o600);
      const again = new KeyRingSigner(new FileKeyRingStore(dir), clock);
      expect((await again.sign(new Uint8Array([2]))).kid).toBe(kid);
      await again.rotate();
      expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).toHaveLength(2);
      expect((await new KeyRingSigner(new FileKeyRingStore(dir), clock).publicKeys()).map((k) => Boolean(k.validUntil))).toEqual([true, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a single first key when many signatures are asked at once', async () => {
    const signer = new KeyRingSigner(new MemoryKeyRingStore(), new TestClock());
    const kids = new Set((await Promise.all(Array.from({ length: 10 }, (_, i) => signer.sign(new Uint8Array([i]))))).map((s) => s.kid));
    expect(kids.size).toBe(1);
    expect(await signer.publicKeys()).toHaveLength(1);
  });
});
