import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { PersonalData, PersonDataConflict, type KeyStore, type PersonVault } from '../ports/person-vault.js';

/** A stored ciphertext and its revision (1 for the first write, +1 for each change). */
export interface StoredCiphertext {
  ciphertext: string;
  revision: number;
}

/** Where the ciphertexts live: a DynamoDB table in AWS and locally, a map in tests. */
export interface CiphertextStore {
  /** Writes `revision` if the stored one is `revision - 1` (none for 1); false, writing nothing, otherwise. */
  put(personId: string, ciphertext: string, revision: number): Promise<boolean>;
  get(personId: string): Promise<StoredCiphertext | undefined>;
}

/** Attempts of an update that others keep overtaking before it gives up (each one read, one conditional write). */
const UPDATE_ATTEMPTS = 16;

/** AES-256-GCM with a key per person from the KeyStore; the ciphertext is bound to the person's id. */
export class EncryptedPersonVault implements PersonVault {
  constructor(
    private readonly keys: KeyStore,
    private readonly ciphertexts: CiphertextStore,
  ) {}

  async put(personId: string, data: PersonalData): Promise<void> {
    const key = await this.keys.keyFor(personId, true);
    if (!key) throw new Error(`the key of ${personId} was destroyed: personal data can no longer be stored`);
    if (await this.ciphertexts.put(personId, this.seal(personId, key, data), 1)) return;
    // Already stored: the same data again is a retry; anything else would replace another person.
    if (!isDeepStrictEqual(await this.get(personId), PersonalData.parse(data))) throw new PersonDataConflict(personId);
  }

  async update(personId: string, change: (data: PersonalData) => PersonalData): Promise<boolean> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      // Overtaken: wait a random while, so writers that collided do not collide again.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 5)));
      const stored = await this.ciphertexts.get(personId);
      const key = stored && (await this.keys.keyFor(personId, false));
      if (!stored || !key) return false;
      const changed = change(this.open(personId, key, stored.ciphertext));
      if (await this.ciphertexts.put(personId, this.seal(personId, key, changed), stored.revision + 1)) return true;
    }
    throw new Error(`the personal data of ${personId} kept changing under ${UPDATE_ATTEMPTS} attempts`);
  }

  async get(personId: string): Promise<PersonalData | undefined> {
    const stored = await this.ciphertexts.get(personId);
    if (!stored) return undefined;
    const key = await this.keys.keyFor(personId, false);
    if (!key) return undefined;
    return this.open(personId, key, stored.ciphertext);
  }

  async secretFor(personId: string, purpose: string): Promise<Uint8Array | undefined> {
    if (!(await this.ciphertexts.get(personId))) return undefined;
    const key = await this.keys.keyFor(personId, false);
    // HKDF (RFC 5869): the data key itself never leaves the vault, and one purpose's secret tells nothing of another's.
    return key && new Uint8Array(hkdfSync('sha256', key, Buffer.from(personId), Buffer.from(purpose), 32));
  }

  private seal(personId: string, key: Uint8Array, data: PersonalData): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(personId));
    const body = Buffer.concat([cipher.update(JSON.stringify(PersonalData.parse(data)), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
  }

  private open(personId: string, key: Uint8Array, ciphertext: string): PersonalData {
    const [iv, tag, body] = ciphertext.split('.').map((p) => Buffer.from(p, 'base64'));
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
  private readonly items = new Map<string, StoredCiphertext>();
  async put(personId: string, ciphertext: string, revision: number) {
    if ((this.items.get(personId)?.revision ?? 0) !== revision - 1) return false;
    this.items.set(personId, { ciphertext, revision });
    return true;
  }
  async get(personId: string) {
    const item = this.items.get(personId);
    return item && { ...item };
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
