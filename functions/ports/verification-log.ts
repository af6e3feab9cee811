import { z } from 'zod';

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
  familyNameMatches: z.boolean().optional(),
});
export type VerificationRecord = z.infer<typeof VerificationRecord>;

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
  /** The verifications of one certificate, oldest first, including those this instance still held. */
  list(code: string): Promise<VerificationRecord[]>;
}
