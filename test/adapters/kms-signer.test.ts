import 'aws-sdk-client-mock-vitest/extend';
import { createHash } from 'node:crypto';
import { DisabledException, GetPublicKeyCommand, KMSInvalidStateException, SignCommand } from '@aws-sdk/client-kms';
import { base64url } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { derToJose } from '../../functions/adapters/ecdsa-jose.js';
import { KmsSigner, kmsSigningKeys, SigningKeyError } from '../../functions/adapters/kms-signer.js';
import { mockKms } from '../support/kms-mock.js';

describe('KMS signer', () => {
  let harness: ReturnType<typeof mockKms>;
  afterEach(() => harness?.mock.restore());

  it('asks KMS to sign the SHA-256 digest of the JWS signing input with ECDSA_SHA_256', async () => {
    harness = mockKms();
    const signer = new KmsSigner(harness.kms, [{ keyId: harness.createKey('k1') }]);
    const { jws } = await signer.sign(new TextEncoder().encode('{"a":1}'));
    const signingInput = jws.split('.').slice(0, 2).join('.');
    expect(harness.mock).toHaveReceivedCommandWith(SignCommand, {
      KeyId: 'k1',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
      Message: new Uint8Array(createHash('sha256').update(signingInput).digest()),
    });
    expect(base64url.decode(jws.split('.')[2]!)).toHaveLength(64);
  });

  it('reads each public key once per instance', async () => {
    harness = mockKms();
    const signer = new KmsSigner(harness.kms, [{ keyId: harness.createKey('k1') }]);
    await signer.sign(new Uint8Array([1]));
    await signer.sign(new Uint8Array([2]));
    await signer.publicKeys();
    expect(harness.mock).toHaveReceivedCommandTimes(GetPublicKeyCommand, 1);
  });

  it('turns a KMS refusal into a SigningKeyError naming the key', async () => {
    harness = mockKms();
    const signer = new KmsSigner(harness.kms, [{ keyId: harness.createKey('k1') }]);
    harness.mock.on(SignCommand).rejects(new DisabledException({ message: 'key disabled', $metadata: {} }));
    await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(SigningKeyError);
    await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(/k1: DisabledException/);
  });

  it('refuses an answer without a signature, and a signature that is not DER', async () => {
    harness = mockKms();
    const signer = new KmsSigner(harness.kms, [{ keyId: harness.createKey('k1') }]);
    harness.mock.on(SignCommand).resolves({ KeyId: 'k1' });
    await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(/no signature/);
    harness.mock.on(SignCommand).resolves({ KeyId: 'k1', Signature: new Uint8Array([0x30, 0x03, 0x02, 0x01]) });
    await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(/not a DER ECDSA signature/);
  });

  it('refuses a key that is not an ECC_NIST_P256 signing key', async () => {
    harness = mockKms();
    harness.mock.on(GetPublicKeyCommand).resolves({ KeyId: 'rsa', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', PublicKey: new Uint8Array([1]) });
    await expect(new KmsSigner(harness.kms, [{ keyId: 'rsa' }]).publicKeys()).rejects.toThrow(/not an ECC_NIST_P256 SIGN_VERIFY key/);
  });

  it('does not keep a failed public key read: the next call asks KMS again', async () => {
    harness = mockKms();
    const signer = new KmsSigner(harness.kms, [{ keyId: harness.createKey('k1') }]);
    harness.mock
      .on(GetPublicKeyCommand)
      .rejectsOnce(new KMSInvalidStateException({ message: 'pending', $metadata: {} }))
      .callsFake(harness.getPublicKey);
    await expect(signer.publicKeys()).rejects.toThrow(/KMSInvalidStateException/);
    await expect(signer.publicKeys()).resolves.toHaveLength(1);
    expect(harness.mock).toHaveReceivedCommandTimes(GetPublicKeyCommand, 2);
  });

  it('rotates by deployment only', async () => {
    harness = mockKms();
    const signer = new KmsSigner(harness.kms, [{ keyId: harness.createKey('k1') }]);
    await expect(signer.rotate()).rejects.toThrow(/SIGNING_KEY_HISTORY/);
    expect(() => new KmsSigner(harness.kms, [{ keyId: 'k0', validUntil: '2025-01-01T00:00:00Z' }])).toThrow(/no current signing key/);
  });

  it('reads the keys of the deployment from the environment', () => {
    expect(
      kmsSigningKeys({
        SIGNING_KEY_ID: 'k2',
        SIGNING_KEY_VALID_FROM: '2026-01-01T00:00:00Z',
        SIGNING_KEY_HISTORY: JSON.stringify([{ keyId: 'k1', validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }]),
      }),
    ).toEqual([
      { keyId: 'k1', validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' },
      { keyId: 'k2', validFrom: '2026-01-01T00:00:00Z' },
    ]);
    expect(() => kmsSigningKeys({})).toThrow(/SIGNING_KEY_ID/);
  });
});

describe('DER to JOSE', () => {
  const der = (r: number[], s: number[]) => new Uint8Array([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s]);

  it('drops the sign byte of a high integer and pads a short one to 32 bytes', () => {
    const high = [0x00, 0x80, ...Array(31).fill(1)];
    const short = [0x05, 0x06];
    const jose = derToJose(der(high, short));
    expect(jose).toHaveLength(64);
    expect([...jose.subarray(0, 32)]).toEqual([0x80, ...Array(31).fill(1)]);
    expect([...jose.subarray(32)]).toEqual([...Array(30).fill(0), 0x05, 0x06]);
  });

  it('refuses what is not a SEQUENCE of two INTEGERs of at most 32 bytes', () => {
    expect(() => derToJose(new Uint8Array([0x31, 0x00]))).toThrow(/SEQUENCE/);
    expect(() => derToJose(der(Array(33).fill(1), [1]))).toThrow(/too large/);
    expect(() => derToJose(new Uint8Array([...der([1], [1]), 0]))).toThrow(/trailing/);
  });
});
