import { ConcurrencyError } from '../ports/event-store.js';
import { SignIns, type SignInRecords, type StoredSignIns } from '../ports/sign-in-records.js';

/** The sign-in records in memory (tests), copied in and out as the table would. */
export class MemorySignInRecords implements SignInRecords {
  private readonly records = new Map<string, { record: string; version: number }>();

  async get(ledgerId: string): Promise<StoredSignIns | undefined> {
    const found = this.records.get(ledgerId);
    return found ? { record: SignIns.parse(JSON.parse(found.record)), version: found.version } : undefined;
  }

  async put(ledgerId: string, record: SignIns, version: number, expectedVersion: number): Promise<void> {
    if ((this.records.get(ledgerId)?.version ?? 0) !== expectedVersion) throw new ConcurrencyError(`sign-ins#${ledgerId}`, expectedVersion);
    this.records.set(ledgerId, { record: JSON.stringify(SignIns.parse(record)), version });
  }
}
