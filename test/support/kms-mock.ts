import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, NotFoundException, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { signDigestDer } from './p256.js';

/**
 * A mocked KMS with real P-256 keys: GetPublicKey answers the SPKI DER of the key, Sign signs the given SHA-256
 * digest and answers DER, as KMS does, so the adapter's DER → JOSE and SPKI → JWK conversions really run.
 */
export function mockKms() {
  const kms = new KMSClient({ region: 'eu-west-3', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(kms);
  const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  const keyOf = (keyId: string | undefined) => {
    const key = keys.get(keyId ?? '');
    if (!key) throw new NotFoundException({ message: `no key ${keyId}`, $metadata: {} });
    return key;
  };
  const getPublicKey = (input: { KeyId?: string }) => ({
    KeyId: input.KeyId,
    KeySpec: 'ECC_NIST_P256' as const,
    KeyUsage: 'SIGN_VERIFY' as const,
    PublicKey: new Uint8Array(keyOf(input.KeyId).publicKey.export({ type: 'spki', format: 'der' })),
  });
  mock.on(GetPublicKeyCommand).callsFake(getPublicKey);
  mock.on(SignCommand).callsFake((input: { KeyId?: string; Message?: Uint8Array; MessageType?: string; SigningAlgorithm?: string }) => {
    if (input.MessageType !== 'DIGEST' || input.SigningAlgorithm !== 'ECDSA_SHA_256' || input.Message?.length !== 32) throw new Error('this mock signs SHA-256 digests only');
    return { KeyId: input.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Signature: signDigestDer(keyOf(input.KeyId).privateKey, input.Message) };
  });
  return {
    kms,
    mock,
    /** What GetPublicKey answers, for tests that put a failure before it. */
    getPublicKey,
    createKey(keyId: string) {
      keys.set(keyId, generateKeyPairSync('ec', { namedCurve: 'P-256' }));
      return keyId;
    },
  };
}
