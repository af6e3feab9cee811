import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, importJWK } from 'jose';
import { jwksOf, type Signer } from '../../functions/ports/signer.js';

export interface SignerHarness {
  /** The signer as deployed now (after a rotation, the redeployed one for adapters that rotate by configuration). */
  signer(): Signer;
  /** A new current key, the previous one staying published with a closed window. */
  rotate(): Promise<void>;
  stop(): Promise<void>;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const verifyWith = async (signer: Signer, jws: string) => compactVerify(jws, createLocalJWKSet(jwksOf(await signer.publicKeys()) as never), { algorithms: ['ES256'] });

export function signerContract(name: string, start: () => Promise<SignerHarness>) {
  describe(`Signer contract: ${name}`, () => {
    let h: SignerHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('signs a compact JWS (ES256) that verifies against the published keys alone', async () => {
      const payload = bytes(JSON.stringify({ hello: 'été', n: 1 }));
      const { jws, kid } = await h.signer().sign(payload, { typ: 'vc+jwt', cty: 'vc' });
      expect(jws.split('.')).toHaveLength(3);
      expect(decodeProtectedHeader(jws)).toEqual({ alg: 'ES256', kid, typ: 'vc+jwt', cty: 'vc' });
      const verified = await verifyWith(h.signer(), jws);
      expect(new TextDecoder().decode(verified.payload)).toBe('{"hello":"été","n":1}');
    });

    it('puts the kid prefix (a DID URL) before the key id in the header, and names the key by its bare id', async () => {
      const { jws, kid } = await h.signer().sign(bytes('{"a":2}'), { typ: 'JWT', kidPrefix: 'did:web:ledger.test:certifiers:mtes#' });
      expect(decodeProtectedHeader(jws)).toEqual({ alg: 'ES256', typ: 'JWT', kid: `did:web:ledger.test:certifiers:mtes#${kid}` });
      expect((await h.signer().publicKeys()).map((k) => k.kid)).toContain(kid);
      const key = (await h.signer().publicKeys()).find((k) => k.kid === kid)!;
      await expect(compactVerify(jws, await importJWK(key.jwk, 'ES256'))).resolves.toBeDefined();
    });

    it('signs payloads of any size (the credential is larger than a KMS RAW message)', async () => {
      const { jws } = await h.signer().sign(bytes('x'.repeat(20_000)));
      expect((await verifyWith(h.signer(), jws)).payload).toHaveLength(20_000);
    });

    it('publishes public keys only, each with its kid, alg, use and validity window', async () => {
      const keys = await h.signer().publicKeys();
      expect(keys.length).toBeGreaterThanOrEqual(1);
      for (const key of keys) {
        expect(key.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, alg: 'ES256', use: 'sig' });
        expect(key.jwk).not.toHaveProperty('d');
      }
      expect(keys.filter((k) => !k.validUntil)).toHaveLength(1);
    });

    it('rejects a signature with one changed byte', async () => {
      const { jws } = await h.signer().sign(bytes('{"a":1}'));
      const [header, payload, signature] = jws.split('.');
      const flipped = Buffer.from(signature!, 'base64url');
      flipped[7]! ^= 0x01;
      await expect(verifyWith(h.signer(), [header, payload, flipped.toString('base64url')].join('.'))).rejects.toThrow();
      const other = Buffer.from(payload!, 'base64url');
      other[2]! ^= 0x01;
      await expect(verifyWith(h.signer(), [header, other.toString('base64url'), signature].join('.'))).rejects.toThrow();
    });

    it('after a rotation signs with the new key, keeps the old one published with a closed window, and both signatures verify', async () => {
      const before = await h.signer().sign(bytes('{"before":true}'));
      await h.rotate();
      const after = await h.signer().sign(bytes('{"after":true}'));
      expect(after.kid).not.toBe(before.kid);
      const keys = await h.signer().publicKeys();
      const old = keys.find((k) => k.kid === before.kid);
      expect(old?.validUntil).toEqual(expect.any(String));
      expect(keys.find((k) => k.kid === after.kid)?.validUntil).toBeUndefined();
      await expect(verifyWith(h.signer(), before.jws)).resolves.toBeDefined();
      await expect(verifyWith(h.signer(), after.jws)).resolves.toBeDefined();
    });
  });
}
