import * as z from '../../events/zod.js';

/** One answered verification of a certificate: what its holder may see (who asked is not kept). */
export const VerificationRecord = z.object({
  code: z.string(),
  /** When it was answered (ISO instant). */
  at: z.string(),
  /** Unique per request: a retried write of the same record writes it once. */
  requestId: z.string(),
  /** The status answered, and the date it was answered for. */
  status: z.enum(['valid', 'suspended', 'revoked', 'not_yet_issued']),
  asOf: z.string(),
  /** Whether the verifier typed a family name, and whether it matched (never the name itself). */
  familyNameChecked: z.boolean(),
  familyNameMatches: z.optional(z.boolean()),
});
export type VerificationRecord = z.infer<typeof VerificationRecord>;

/**
 * A day's verifications of one certificate past its first VERIFICATIONS_KEPT_PER_DAY, counted per outcome: what a
 * bot verifying one code a million times a day leaves is one tally per outcome, not a million items (issue 17).
 */
export const VerificationTally = z.object({
  code: z.string(),
  /** The first and the last verification the tally counts (ISO instants, within one UTC day). */
  firstAt: z.string(),
  at: z.string(),
  count: z.number(),
  status: VerificationRecord.shape.status,
  familyNameChecked: z.boolean(),
  familyNameMatches: z.optional(z.boolean()),
});
export type VerificationTally = z.infer<typeof VerificationTally>;

/** One line of a certificate's log: a verification, or a tally of that day's further verifications with one outcome. */
export type VerificationEntry = VerificationRecord | VerificationTally;
export const isTally = (entry: VerificationEntry): entry is VerificationTally => 'count' in entry;
/** How many verifications an entry stands for. */
export const verificationsIn = (entry: VerificationEntry) => (isTally(entry) ? entry.count : 1);

/** How long a verification stays visible to the holder (and, in AWS, stored: the table's TTL). */
export const VERIFICATION_RETENTION_DAYS = 366;
/** The most verifications a holder is shown at once (API.md: bounded), the newest. */
export const VERIFICATIONS_LISTED = 100;
/**
 * The verifications of one certificate kept one by one per UTC day (each with its instant, status, date and name
 * check); the day's further ones are tallied per outcome. With as many outcomes as statuses times name checks
 * (not checked, matches, differs), a certificate stores at most KEPT + 12 entries (and one counter) a day.
 */
export const VERIFICATIONS_KEPT_PER_DAY = 100;
export const TALLY_OUTCOMES = VerificationRecord.shape.status.options.length * 3;

/** The UTC day of an instant, which bounds what one certificate stores. */
export const dayOf = (at: string) => at.slice(0, 10);

/** The outcome a tally counts, in its sort key: sorted after every verification of its day. */
export const tallyKey = (record: Pick<VerificationRecord, 'at' | 'status' | 'familyNameChecked' | 'familyNameMatches'>) =>
  `${dayOf(record.at)}~${record.status}~${record.familyNameChecked ? (record.familyNameMatches ? 'name-matches' : 'name-differs') : 'name-unchecked'}`;

export interface VerificationWindow {
  since: string;
  limit: number;
}

/** The window a holder sees at `now`: the retention period, the newest first. */
export const visibleWindow = (now: string): VerificationWindow => ({
  since: new Date(Date.parse(now) - VERIFICATION_RETENTION_DAYS * 86_400_000).toISOString(),
  limit: VERIFICATIONS_LISTED,
});

/**
 * Every verification, kept apart from the ledger (never a conflicting event on the certificate's stream) so the
 * public hot path neither contends nor waits on a commit, and bounded per certificate and day: the first
 * VERIFICATIONS_KEPT_PER_DAY one by one, the others counted in tallies. A record is counted once, whether it is
 * handed over twice (same requestId) or its write is retried. DynamoDB in AWS and locally, in memory in tests.
 * Every adapter passes test/contract/verification-log.contract.ts.
 */
export interface VerificationLog {
  /**
   * Resolves once the record is durably written (or counted). Adapters may hold a record briefly to write it with
   * others: the public route answers without waiting for it, and `flush` (on shutdown, at the end of a Lambda
   * invocation) writes whatever is held.
   */
  record(entry: VerificationRecord): Promise<void>;
  /** Resolves once every record handed over so far was written (or definitively failed, which `record` reported). */
  flush(): Promise<void>;
  /**
   * The newest `limit` entries (verifications and tallies) of one certificate at or after `since` (an ISO instant;
   * a tally is listed from its day on), oldest first, a tally after its day's verifications, including those this
   * instance still held: a certificate verified a million times is still read in one bounded Query.
   */
  list(code: string, window: VerificationWindow): Promise<VerificationEntry[]>;
}
