import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which DynamoDB table holds the read models locally. `npm run rebuild` builds them into a fresh table and then
 * switches this pointer (a one-line file in the data dir, replaced atomically by a rename); `startLocalLedger`
 * reads it at start. Without the file, the default table name.
 */
const READ_MODEL_POINTER = 'read-models-table';

export function activeReadModelTable(dataDir: string, fallback: string): string {
  try {
    const name = readFileSync(join(dataDir, READ_MODEL_POINTER), 'utf8').trim();
    return /^[A-Za-z0-9_.-]{3,255}$/.test(name) ? name : fallback;
  } catch {
    return fallback;
  }
}

export function switchReadModelTable(dataDir: string, table: string): void {
  const file = join(dataDir, READ_MODEL_POINTER);
  writeFileSync(`${file}.next`, `${table}\n`);
  renameSync(`${file}.next`, file);
}
