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

/** How long a verification stays visible to the holder (and, in AWS, stored: the table's TTL). */
export const VERIFICATION_RETENTION_DAYS = 366;
/** The most verifications a holder is shown at once (API.md: bounded), the newest. */
export const VERIFICATIONS_LISTED = 100;

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
 * Every verification, kept apart from the ledger (an append-only item per verification, never a conflicting
 * event on the certificate's stream) so the public hot path neither contends nor waits on a commit. DynamoDB in
 * AWS and locally, in memory in tests. Every adapter passes test/contract/verification-log.contract.ts.
 */
export interface VerificationLog {
  /**
   * Resolves once the record is durably written. Adapters may hold a record briefly to write it with others: the
   * public route answers without waiting for it, and `flush` (on shutdown, at the end of a Lambda invocation)
   * writes whatever is held.
   */
  record(entry: VerificationRecord): Promise<void>;
  /** Resolves once every record handed over so far was written (or definitively failed, which `record` reported). */
  flush(): Promise<void>;
  /**
   * The newest `limit` verifications of one certificate answered at or after `since` (an ISO instant), oldest
   * first, including those this instance still held: a certificate verified a million times is still read in one
   * bounded Query.
   */
  list(code: string, window: VerificationWindow): Promise<VerificationRecord[]>;
}
