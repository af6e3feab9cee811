import * as z from '../../events/zod.js';

/** One read of a person's data (their name, birth date) by someone the law lets read it. */
export const AccessRecord = z.object({
  personId: z.string(),
  /** When it was read (ISO instant). */
  at: z.string(),
  /** Unique per request and person: a retried write writes the record once. */
  requestId: z.string(),
  /** Who read: the role and the ledger id it acted for (`centre:c-1`), as events record actors. */
  reader: z.string(),
  /** Why, in the ledger's words: the list or page that showed the data. */
  purpose: z.enum(['centre-candidates', 'session', 'record', 'named-certificate']),
});
export type AccessRecord = z.infer<typeof AccessRecord>;

/**
 * Who read a person's data, when and why (GDPR art. 15: the person may know who accessed their data). Kept apart
 * from the ledger, like the verification log, so a read never contends with a commit. Every adapter passes
 * test/contract/access-log.contract.ts.
 */
export interface AccessLog {
  /** Resolves once the records are durably written. */
  record(entries: readonly AccessRecord[]): Promise<void>;
  /** The reads of one person's data, oldest first. */
  list(personId: string): Promise<AccessRecord[]>;
}
