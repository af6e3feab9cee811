import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PersonalData, type KeyStore, type PersonVault } from '../ports/person-vault.js';

/** Where the ciphertexts live: a DynamoDB table in AWS and locally, a map in tests. */
export interface CiphertextStore {
  put(personId: string, ciphertext: string): Promise<void>;
  get(personId: string): Promise<string | undefined>;
}

/** AES-256-GCM with a key per person from the KeyStore; the ciphertext is bound to the person's id. */
export class EncryptedPersonVault implements PersonVault {
  constructor(
    private readonly keys: KeyStore,
    private readonly ciphertexts: CiphertextStore,
  ) {}

  async put(personId: string, data: PersonalData): Promise<void> {
    const key = await this.keys.keyFor(personId, true);
    if (!key) throw new Error(`the key of ${personId} was destroyed: personal data can no longer be stored`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(personId));
    const body = Buffer.concat([cipher.update(JSON.stringify(PersonalData.parse(data)), 'utf8'), cipher.final()]);
    await this.ciphertexts.put(personId, [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.'));
  }

  async get(personId: string): Promise<PersonalData | undefined> {
    const stored = await this.ciphertexts.get(personId);
    if (!stored) return undefined;
    const key = await this.keys.keyFor(personId, false);
    if (!key) return undefined;
    const [iv, tag, body] = stored.split('.').map((p) => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv!);
    decipher.setAAD(Buffer.from(personId));
    decipher.setAuthTag(tag!);
    return PersonalData.parse(JSON.parse(Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8')));
  }

  async forget(personId: string): Promise<void> {
    await this.keys.destroy(personId);
  }
}

export class MemoryCiphertextStore implements CiphertextStore {
  private readonly items = new Map<string, string>();
  async put(personId: string, ciphertext: string) {
    this.items.set(personId, ciphertext);
  }
  async get(personId: string) {
    return this.items.get(personId);
  }
}

export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, Uint8Array | 'destroyed'>();
  async keyFor(personId: string, create: boolean) {
    const key = this.keys.get(personId);
    if (key === 'destroyed') return undefined;
    if (key) return key;
    if (!create) return undefined;
    const fresh = new Uint8Array(randomBytes(32));
    this.keys.set(personId, fresh);
    return fresh;
  }
  async destroy(personId: string) {
    this.keys.set(personId, 'destroyed');
  }
}
