import { AccessRecord, type AccessLog } from '../ports/access-log.js';

export class MemoryAccessLog implements AccessLog {
  private readonly records = new Map<string, Map<string, AccessRecord>>();

  async record(entries: readonly AccessRecord[]): Promise<void> {
    for (const entry of entries) {
      const byKey = this.records.get(entry.personId) ?? new Map<string, AccessRecord>();
      byKey.set(`${entry.at}#${entry.requestId}#${entry.reader}#${entry.purpose}`, AccessRecord.parse(entry));
      this.records.set(entry.personId, byKey);
    }
  }

  async list(personId: string): Promise<AccessRecord[]> {
    const byKey = this.records.get(personId) ?? new Map<string, AccessRecord>();
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => structuredClone(r));
  }
}
