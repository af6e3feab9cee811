import { createHash } from 'node:crypto';
import type { GetPublicKeyCommandOutput, KMSClient, SignCommandOutput } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose';
import { protectedHeader, SIGNING_ALGORITHM, type PublicSigningKey, type SignedPayload, type Signer, type SigningHeader } from '../ports/signer.js';
import { compactJws, derToJose } from './ecdsa-jose.js';

// Imported on first use: only the functions that sign or publish keys load the KMS package.
const kmsSdk = () => import('@aws-sdk/client-kms');

/** A KMS key that signs or signed certificates, and its validity window (from the deployment's configuration). */
export interface KmsSigningKey {
  keyId: string;
  validFrom?: string;
  validUntil?: string;
}

export class SigningKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

/**
 * The AWS Signer: asymmetric KMS keys (ECC_NIST_P256, SIGN_VERIFY). KMS signs the SHA-256 digest of the JWS
 * signing input (MessageType DIGEST, so payload size is not limited) and returns DER, converted to JOSE r||s.
 * The public keys come from GetPublicKey (SPKI DER → JWK), once per key and instance. Asymmetric KMS keys do
 * not rotate: a new key is a new deployment setting (the older ones stay listed with a closed window).
 */
export class KmsSigner implements Signer {
  private readonly publicKeyCache = new Map<string, Promise<PublicSigningKey>>();

  constructor(
    private readonly kms: Pick<KMSClient, 'send'>,
    private readonly keys: readonly KmsSigningKey[],
  ) {
    if (!keys.some((k) => !k.validUntil)) throw new SigningKeyError('no current signing key: one key must have an open window');
  }

  async sign(payload: Uint8Array, header: SigningHeader = {}): Promise<SignedPayload> {
    const current = this.keys.filter((k) => !k.validUntil).at(-1)!;
    const { kid } = await this.publicKey(current);
    const { SignCommand } = await kmsSdk();
    const jws = await compactJws(protectedHeader(header, kid), payload, async (signingInput) => {
      const digest = createHash('sha256').update(signingInput).digest();
      let out: SignCommandOutput;
      try {
        out = await this.kms.send(new SignCommand({ KeyId: current.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
      } catch (error) {
        throw new SigningKeyError(`KMS could not sign with ${current.keyId}: ${(error as Error).name}`, { cause: error });
      }
      if (!out.Signature) throw new SigningKeyError(`KMS returned no signature for ${current.keyId}`);
      return derToJose(out.Signature);
    });
    return { jws, kid };
  }

  async publicKeys(): Promise<PublicSigningKey[]> {
    return Promise.all(this.keys.map((k) => this.publicKey(k)));
  }

  async rotate(): Promise<PublicSigningKey> {
    throw new SigningKeyError('KMS signing keys are rotated by deploying a new key (SIGNING_KEY_ID) and listing the previous one in SIGNING_KEY_HISTORY');
  }

  private publicKey(key: KmsSigningKey): Promise<PublicSigningKey> {
    let cached = this.publicKeyCache.get(key.keyId);
    if (!cached) {
      cached = this.fetchPublicKey(key);
      // A failure is not cached: the next call asks KMS again.
      cached.catch(() => this.publicKeyCache.delete(key.keyId));
      this.publicKeyCache.set(key.keyId, cached);
    }
    return cached;
  }

  private async fetchPublicKey(key: KmsSigningKey): Promise<PublicSigningKey> {
    let out: GetPublicKeyCommandOutput;
    const { GetPublicKeyCommand } = await kmsSdk();
    try {
      out = await this.kms.send(new GetPublicKeyCommand({ KeyId: key.keyId }));
    } catch (error) {
      throw new SigningKeyError(`KMS could not give the public key of ${key.keyId}: ${(error as Error).name}`, { cause: error });
    }
    if (out.KeySpec !== 'ECC_NIST_P256' || out.KeyUsage !== 'SIGN_VERIFY' || !out.PublicKey) {
      throw new SigningKeyError(`${key.keyId} is not an ECC_NIST_P256 SIGN_VERIFY key (${out.KeySpec ?? '?'}, ${out.KeyUsage ?? '?'})`);
    }
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(out.PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
    const { kty, crv, x, y } = await exportJWK(await importSPKI(pem, SIGNING_ALGORITHM, { extractable: true }));
    const kid = await calculateJwkThumbprint({ kty: kty!, crv, x, y });
    return {
      kid,
      jwk: { kty, crv, x, y, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
      ...(key.validFrom ? { validFrom: key.validFrom } : {}),
      ...(key.validUntil ? { validUntil: key.validUntil } : {}),
    };
  }
}

/** The keys of the deployment: SIGNING_KEY_ID (current) and SIGNING_KEY_HISTORY (JSON list of earlier keys with their windows). */
export function kmsSigningKeys(
  env: { SIGNING_KEY_ID?: string | undefined; SIGNING_KEY_VALID_FROM?: string | undefined; SIGNING_KEY_HISTORY?: string | undefined } = process.env,
): KmsSigningKey[] {
  const current = env.SIGNING_KEY_ID;
  if (!current) throw new SigningKeyError('environment variable SIGNING_KEY_ID is not set');
  const history = env.SIGNING_KEY_HISTORY ? (JSON.parse(env.SIGNING_KEY_HISTORY) as KmsSigningKey[]) : [];
  const closed = history.filter((k) => k.keyId !== current).map((k) => ({ ...k, validUntil: k.validUntil ?? k.validFrom ?? '1970-01-01T00:00:00.000Z' }));
  return [...closed, { keyId: current, ...(env.SIGNING_KEY_VALID_FROM ? { validFrom: env.SIGNING_KEY_VALID_FROM } : {}) }];
}
