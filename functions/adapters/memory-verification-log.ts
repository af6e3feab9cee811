import { VerificationRecord, type VerificationLog, type VerificationWindow } from '../ports/verification-log.js';

export class MemoryVerificationLog implements VerificationLog {
  private readonly records = new Map<string, Map<string, VerificationRecord>>();

  async record(entry: VerificationRecord): Promise<void> {
    const byKey = this.records.get(entry.code) ?? new Map<string, VerificationRecord>();
    byKey.set(`${entry.at}#${entry.requestId}`, VerificationRecord.parse(entry));
    this.records.set(entry.code, byKey);
  }

  async flush(): Promise<void> {}

  async list(code: string, window: VerificationWindow): Promise<VerificationRecord[]> {
    const byKey = this.records.get(code) ?? new Map<string, VerificationRecord>();
    return [...byKey.entries()]
      .filter(([key]) => key >= window.since)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(-window.limit)
      .map(([, r]) => structuredClone(r));
  }
}
