import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock } from '../ports/clock.js';
import { protectedHeader, SIGNING_ALGORITHM, type PublicSigningKey, type SignedPayload, type Signer, type SigningHeader } from '../ports/signer.js';

/** A signing key as kept: the private JWK and its validity window. */
export interface StoredSigningKey {
  kid: string;
  /** 1 for the first key, then one more per rotation: the order of the keys. */
  serial: number;
  privateJwk: JWK;
  validFrom: string;
  validUntil?: string;
}

/** Where a key ring keeps its keys: files in the data dir locally, a map in tests. */
export interface KeyRingStore {
  list(): Promise<StoredSigningKey[]>;
  /** Adds a key; false when a key with this kid exists already. */
  add(key: StoredSigningKey): Promise<boolean>;
  replace(key: StoredSigningKey): Promise<void>;
}

/**
 * The local Signer: ES256 keys generated here, the current one being the newest whose window is open. The first
 * key is created on first use; a rotation adds a key and closes the previous one's window, which stays published.
 */
export class KeyRingSigner implements Signer {
  private current: Promise<{ kid: string; key: CryptoKey }> | undefined;

  constructor(
    private readonly store: KeyRingStore,
    private readonly clock: Clock,
  ) {}

  async sign(payload: Uint8Array, header: SigningHeader = {}): Promise<SignedPayload> {
    const { kid, key } = await this.currentKey();
    const jws = await new CompactSign(payload).setProtectedHeader(protectedHeader(header, kid)).sign(key);
    return { jws, kid };
  }

  async publicKeys(): Promise<PublicSigningKey[]> {
    await this.currentKey();
    return (await this.sorted()).map(publicKeyOf);
  }

  async rotate(): Promise<PublicSigningKey> {
    const now = this.clock.now();
    const all = await this.sorted();
    const open = all.filter((k) => !k.validUntil);
    const fresh = await newKey(now, (all.at(-1)?.serial ?? 0) + 1);
    await this.store.add(fresh);
    for (const previous of open) await this.store.replace({ ...previous, validUntil: now });
    this.current = undefined;
    return publicKeyOf(fresh);
  }

  /** Loaded once (concurrent first calls share the load); a failed load is tried again next time. */
  private currentKey() {
    this.current ??= this.loadCurrent().catch((error: unknown) => {
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  /** The newest key with an open window; the first key is made on first use. */
  private async loadCurrent(): Promise<{ kid: string; key: CryptoKey }> {
    let chosen = (await this.sorted()).filter((k) => !k.validUntil).at(-1);
    if (!chosen) {
      const fresh = await newKey(this.clock.now(), 1);
      await this.store.add(fresh);
      chosen = fresh;
    }
    return { kid: chosen.kid, key: (await importJWK(chosen.privateJwk, SIGNING_ALGORITHM)) as CryptoKey };
  }

  private async sorted(): Promise<StoredSigningKey[]> {
    return (await this.store.list()).sort((a, b) => a.serial - b.serial);
  }
}

async function newKey(validFrom: string, serial: number): Promise<StoredSigningKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const { d: _, ...publicJwk } = privateJwk;
  return { kid: await calculateJwkThumbprint(publicJwk), serial, privateJwk, validFrom };
}

function publicKeyOf(key: StoredSigningKey): PublicSigningKey {
  const { kty, crv, x, y } = key.privateJwk;
  return {
    kid: key.kid,
    jwk: { kty, crv, x, y, kid: key.kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    validFrom: key.validFrom,
    ...(key.validUntil ? { validUntil: key.validUntil } : {}),
  };
}

export class MemoryKeyRingStore implements KeyRingStore {
  private readonly keys = new Map<string, StoredSigningKey>();
  async list() {
    return [...this.keys.values()].map((k) => structuredClone(k));
  }
  async add(key: StoredSigningKey) {
    if (this.keys.has(key.kid)) return false;
    this.keys.set(key.kid, structuredClone(key));
    return true;
  }
  async replace(key: StoredSigningKey) {
    this.keys.set(key.kid, structuredClone(key));
  }
}

/** One file per key (`<kid>.json`, mode 600) in a directory of the data dir. */
export class FileKeyRingStore implements KeyRingStore {
  constructor(private readonly dir: string) {}

  async list(): Promise<StoredSigningKey[]> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(this.dir, n), 'utf8')) as StoredSigningKey));
  }

  async add(key: StoredSigningKey): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    try {
      await writeFile(this.file(key.kid), JSON.stringify(key), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  async replace(key: StoredSigningKey): Promise<void> {
    // Write aside, then rename: a crash leaves the old file or the new one, never half of one.
    const temporary = `${this.file(key.kid)}.tmp`;
    await writeFile(temporary, JSON.stringify(key), { mode: 0o600 });
    await rename(temporary, this.file(key.kid));
  }

  private file(kid: string) {
    return join(this.dir, `${kid}.json`);
  }
}
