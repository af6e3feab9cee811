import * as z from '../../events/zod.js';

/**
 * The sign-ins of one ledger id (functions/accounts/sign-ins.ts): by each account's own id (`sub`), whether it is
 * disabled and since when its tokens are refused; and whether the person was erased (every token refused).
 * Parsed on every read: what the table holds is a boundary like any other.
 */
export const SignIns = z.object({
  accounts: z.record(
    z.string(),
    z.object({
      disabled: z.boolean(),
      /** Tokens issued at or before this second (epoch, system clock) are refused. */
      revokedBefore: z.optional(z.number()),
    }),
  ),
  /** The person's data were erased: every token of this ledger id is refused. */
  erased: z.optional(z.boolean()),
});
export type SignIns = z.infer<typeof SignIns>;

/** A ledger id's record and the version it was written at (the condition of the next write). */
export interface StoredSignIns {
  record: SignIns;
  version: number;
}

/**
 * Where each ledger id's sign-in record is kept: a table of its own, pk = the ledger id, which no read-model rebuild
 * replaces (the record is not derived from events: README, "Rebuilding the read models").
 */
export interface SignInRecords {
  get(ledgerId: string): Promise<StoredSignIns | undefined>;
  /**
   * Writes the record at `version` only if the stored one is still at `expectedVersion` (0: absent); otherwise
   * ConcurrencyError, so two concurrent changes are both kept (the writer reads again and retries).
   */
  put(ledgerId: string, record: SignIns, version: number, expectedVersion: number): Promise<void>;
}
