import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyStore } from '../ports/person-vault.js';

/**
 * The local KeyStore (standing in for KMS-wrapped data keys): each person's key wrapped (AES-256-GCM) under the
 * master key, one file per person, and erasure that holds — the file is overwritten, flushed and removed, and a
 * tombstone keeps the key from ever being made again. A database would keep the old value in its log or its
 * compaction files, where the master key beside it would open it again; a removed file keeps nothing the
 * ledger controls. Keys made before this store (in the vault table) are moved here on first use.
 */
export class FileKeyStore implements KeyStore {
  constructor(
    private readonly dir: string,
    private readonly masterKey: Uint8Array,
    private readonly legacy?: KeyStore,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async keyFor(personId: string, create: boolean): Promise<Uint8Array | undefined> {
    if (this.erased(personId)) return undefined;
    const stored = this.read(personId);
    if (stored) return stored;
    const legacy = await this.legacy?.keyFor(personId, false);
    if (legacy) {
      this.write(personId, legacy);
      return this.read(personId);
    }
    if (!create) return undefined;
    this.write(personId, new Uint8Array(randomBytes(32)));
    // Of two requests making the key at once, the file written first wins; both use it.
    return this.read(personId);
  }

  async destroy(personId: string): Promise<void> {
    writeFileSync(this.path(personId, 'erased'), '', { mode: 0o600 });
    const path = this.path(personId, 'key');
    try {
      const size = readFileSync(path).length;
      const fd = openSync(path, 'r+');
      try {
        writeSync(fd, randomBytes(size), 0, size, 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      rmSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await this.legacy?.destroy(personId);
  }

  private erased(personId: string): boolean {
    try {
      readFileSync(this.path(personId, 'erased'));
      return true;
    } catch {
      return false;
    }
  }

  private read(personId: string): Uint8Array | undefined {
    let wrapped: string;
    try {
      wrapped = readFileSync(this.path(personId, 'key'), 'utf8');
    } catch {
      return undefined;
    }
    const [iv, tag, body] = wrapped.split('.').map((p) => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv!);
    decipher.setAAD(Buffer.from(personId));
    decipher.setAuthTag(tag!);
    return new Uint8Array(Buffer.concat([decipher.update(body!), decipher.final()]));
  }

  private write(personId: string, key: Uint8Array) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(personId));
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    try {
      writeFileSync(this.path(personId, 'key'), [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  /** Named by a digest of the person's id: the folder lists no ids. */
  private path(personId: string, kind: 'key' | 'erased') {
    return join(this.dir, `${createHash('sha256').update(personId).digest('hex')}.${kind}`);
  }
}
