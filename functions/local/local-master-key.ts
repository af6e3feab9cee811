import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The local stand-in for the KMS key that wraps per-person keys: 32 random bytes kept in the data dir. */
export function localMasterKey(dataDir: string): Uint8Array {
  const path = join(dataDir, 'vault-master-key');
  try {
    writeFileSync(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch {
    /* already there */
  }
  return new Uint8Array(Buffer.from(readFileSync(path, 'utf8'), 'base64'));
}
