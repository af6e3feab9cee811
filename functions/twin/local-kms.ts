import { p256 } from '@noble/curves/nist.js';
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * KMS on one machine, with real cryptography: ECC_NIST_P256 keys sign (DER ECDSA, RAW or DIGEST, as KMS
 * answers), symmetric keys wrap data keys with AES-256-GCM bound to the encryption context. Key material
 * lives in files under the data dir, so what the vault encrypted stays readable after a restart.
 */

export interface KmsKeySpec {
  keyId: string;
  arn: string;
  keySpec: string;
  keyUsage: string;
}

export class KmsError extends Error {
  constructor(
    readonly code:
      | 'NotFoundException'
      | 'InvalidCiphertextException'
      | 'IncorrectKeyException'
      | 'InvalidKeyUsageException'
      | 'ValidationException'
      | 'UnsupportedOperationException',
    message: string,
  ) {
    super(message);
  }
}

const b64 = z.string().transform((s) => Buffer.from(s, 'base64'));
const context = z.record(z.string(), z.string()).optional();

export const kmsRequests = {
  Sign: z.object({ KeyId: z.string(), Message: b64, MessageType: z.enum(['RAW', 'DIGEST']).default('RAW'), SigningAlgorithm: z.string() }),
  GetPublicKey: z.object({ KeyId: z.string() }),
  GenerateDataKey: z.object({
    KeyId: z.string(),
    KeySpec: z.enum(['AES_256', 'AES_128']).optional(),
    NumberOfBytes: z.number().int().min(1).max(1024).optional(),
    EncryptionContext: context,
  }),
  Encrypt: z.object({ KeyId: z.string(), Plaintext: b64, EncryptionContext: context }),
  Decrypt: z.object({ CiphertextBlob: b64, KeyId: z.string().optional(), EncryptionContext: context }),
  DescribeKey: z.object({ KeyId: z.string() }),
} as const;

export type KmsOperation = keyof typeof kmsRequests;

interface Material {
  /** PKCS#8 PEM for signing keys. */
  privateKey?: string;
  /** base64, 32 bytes, for symmetric keys. */
  secret?: string;
}

/** Ciphertext blob: `twin1` | key id length | key id | iv (12) | tag (16) | ciphertext. */
const VERSION = Buffer.from('twin1');

export class LocalKms {
  private readonly keys = new Map<string, KmsKeySpec & { material: Material }>();

  constructor(keys: KmsKeySpec[], dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const key of keys) {
      const file = join(dir, `${key.keyId}.json`);
      let material: Material;
      if (existsSync(file)) material = JSON.parse(readFileSync(file, 'utf8')) as Material;
      else {
        material =
          key.keySpec === 'ECC_NIST_P256'
            ? { privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }
            : key.keySpec === 'SYMMETRIC_DEFAULT'
              ? { secret: randomBytes(32).toString('base64') }
              : {};
        writeFileSync(file, JSON.stringify(material), { mode: 0o600 });
      }
      this.keys.set(key.keyId, { ...key, material });
    }
  }

  /** A key by id or ARN (aliases are not modelled: the stack has none). */
  keyOf(keyId: string) {
    const id = keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('/') + 1) : keyId;
    const key = this.keys.get(id);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  /** The key a ciphertext blob was made with (Decrypt needs no KeyId, yet IAM authorises it on that key). */
  keyOfCiphertext(blob: Buffer): KmsKeySpec {
    const parsed = this.parseBlob(blob);
    return this.keyOf(parsed.keyId);
  }

  private parseBlob(blob: Buffer) {
    if (blob.length < VERSION.length + 1 || !blob.subarray(0, VERSION.length).equals(VERSION)) throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid');
    let at = VERSION.length;
    const idLength = blob[at++]!;
    const keyId = blob.subarray(at, at + idLength).toString('utf8');
    at += idLength;
    return { keyId, iv: blob.subarray(at, at + 12), tag: blob.subarray(at + 12, at + 28), data: blob.subarray(at + 28) };
  }

  private symmetric(keyId: string) {
    const key = this.keyOf(keyId);
    if (!key.material.secret) throw new KmsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage}, not ENCRYPT_DECRYPT`);
    return { key, secret: Buffer.from(key.material.secret, 'base64') };
  }

  private signing(keyId: string) {
    const key = this.keyOf(keyId);
    if (!key.material.privateKey) throw new KmsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage}, not SIGN_VERIFY`);
    return { key, privateKey: createPrivateKey(key.material.privateKey) };
  }

  private static aad(encryptionContext: Record<string, string> | undefined) {
    const entries = Object.entries(encryptionContext ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return createHash('sha256').update(JSON.stringify(entries)).digest();
  }

  private encrypt(keyId: string, plaintext: Buffer, encryptionContext: Record<string, string> | undefined) {
    const { key, secret } = this.symmetric(keyId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', secret, iv).setAAD(LocalKms.aad(encryptionContext));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(key.keyId);
    return { key, blob: Buffer.concat([VERSION, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), data]) };
  }

  /** Runs one operation on its parsed request; answers what KMS answers (blobs base64 in JSON). */
  handle(operation: KmsOperation, body: unknown): Record<string, unknown> {
    switch (operation) {
      case 'Sign': {
        const input = kmsRequests.Sign.parse(body);
        if (input.SigningAlgorithm !== 'ECDSA_SHA_256') throw new KmsError('ValidationException', `SigningAlgorithm ${input.SigningAlgorithm} is not valid for this key`);
        const { key, privateKey } = this.signing(input.KeyId);
        let signature: Uint8Array;
        if (input.MessageType === 'DIGEST') {
          if (input.Message.length !== 32) throw new KmsError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
          // Node's crypto always hashes what it signs; KMS signs the digest as given.
          const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
          signature = p256.sign(input.Message, d, { prehash: false, format: 'der' });
        } else signature = nodeSign('sha256', input.Message, privateKey);
        return { KeyId: key.arn, Signature: Buffer.from(signature).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' };
      }
      case 'GetPublicKey': {
        const { key, privateKey } = this.signing(kmsRequests.GetPublicKey.parse(body).KeyId);
        const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
        return { KeyId: key.arn, PublicKey: spki.toString('base64'), KeySpec: key.keySpec, KeyUsage: key.keyUsage, SigningAlgorithms: ['ECDSA_SHA_256'] };
      }
      case 'GenerateDataKey': {
        const input = kmsRequests.GenerateDataKey.parse(body);
        if (!input.KeySpec && !input.NumberOfBytes) throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
        const plaintext = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
        const { key, blob } = this.encrypt(input.KeyId, plaintext, input.EncryptionContext);
        return { KeyId: key.arn, Plaintext: plaintext.toString('base64'), CiphertextBlob: blob.toString('base64') };
      }
      case 'Encrypt': {
        const input = kmsRequests.Encrypt.parse(body);
        const { key, blob } = this.encrypt(input.KeyId, input.Plaintext, input.EncryptionContext);
        return { KeyId: key.arn, CiphertextBlob: blob.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      }
      case 'Decrypt': {
        const input = kmsRequests.Decrypt.parse(body);
        const parsed = this.parseBlob(input.CiphertextBlob);
        if (input.KeyId && this.keyOf(input.KeyId).keyId !== parsed.keyId)
          throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
        const { key, secret } = this.symmetric(parsed.keyId);
        try {
          const decipher = createDecipheriv('aes-256-gcm', secret, parsed.iv).setAAD(LocalKms.aad(input.EncryptionContext)).setAuthTag(parsed.tag);
          const plaintext = Buffer.concat([decipher.update(parsed.data), decipher.final()]);
          return { KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
        } catch {
          // A wrong encryption context fails the GCM tag: KMS says the same.
          throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid');
        }
      }
      case 'DescribeKey': {
        const key = this.keyOf(kmsRequests.DescribeKey.parse(body).KeyId);
        return { KeyMetadata: { KeyId: key.keyId, Arn: key.arn, KeySpec: key.keySpec, KeyUsage: key.keyUsage, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER' } };
      }
    }
  }
}
