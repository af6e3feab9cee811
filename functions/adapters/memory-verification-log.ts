import {
  dayOf,
  tallyKey,
  VERIFICATIONS_KEPT_PER_DAY,
  VerificationRecord,
  type VerificationEntry,
  type VerificationLog,
  type VerificationTally,
  type VerificationWindow,
} from '../ports/verification-log.js';

/** What one certificate's log holds: the same entries, under the same sort keys, as the DynamoDB adapter's items. */
interface CertificateLog {
  entries: Map<string, VerificationEntry>;
  perDay: Map<string, number>;
  requestIds: Set<string>;
}

export class MemoryVerificationLog implements VerificationLog {
  /** `shared`: another instance's store, as two Lambda containers share one table. */
  constructor(private readonly logs = new Map<string, CertificateLog>()) {}

  /** Another instance on the same store. */
  another(): MemoryVerificationLog {
    return new MemoryVerificationLog(this.logs);
  }

  async record(entry: VerificationRecord): Promise<void> {
    const record = VerificationRecord.parse(entry);
    const log = this.logs.get(record.code) ?? { entries: new Map(), perDay: new Map(), requestIds: new Set() };
    this.logs.set(record.code, log);
    // A record's identity is its request and instant (the sort key a kept one gets): handed over again, it is the same.
    const identity = `${record.at}#${record.requestId}`;
    if (log.requestIds.has(identity)) return;
    log.requestIds.add(identity);
    const day = dayOf(record.at);
    const ordinal = (log.perDay.get(day) ?? 0) + 1;
    log.perDay.set(day, ordinal);
    if (ordinal <= VERIFICATIONS_KEPT_PER_DAY) {
      log.entries.set(`${record.at}#${record.requestId}`, record);
      return;
    }
    const key = tallyKey(record);
    const tally = log.entries.get(key) as VerificationTally | undefined;
    const { asOf: _, requestId: __, ...outcome } = record;
    log.entries.set(
      key,
      tally
        ? { ...tally, count: tally.count + 1, firstAt: tally.firstAt < record.at ? tally.firstAt : record.at, at: tally.at > record.at ? tally.at : record.at }
        : { ...outcome, firstAt: record.at, count: 1 },
    );
  }

  async flush(): Promise<void> {}

  async list(code: string, window: VerificationWindow): Promise<VerificationEntry[]> {
    return [...(this.logs.get(code)?.entries.entries() ?? [])]
      .filter(([key]) => key >= window.since)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(-window.limit)
      .map(([, entry]) => structuredClone(entry));
  }

  /** How many entries the log holds for a code (the contract's bound on storage); a day counter counts as one. */
  async storedEntries(code: string): Promise<number> {
    const log = this.logs.get(code);
    return log ? log.entries.size + log.perDay.size : 0;
  }
}
