import type { Commit, StoredEvent } from '../../events/envelope.js';

export interface AppendRequest {
  stream: string;
  /** The stream version the decision was made on; 0 for a stream that does not exist yet. */
  expectedVersion: number;
  /** Hash of the commit that ends at `expectedVersion` (GENESIS_HASH for a new stream). */
  prevHash: string;
  events: StoredEvent[];
  /** Idempotency key: an append colliding with a commit of the same commandId is that same command, retried. */
  commandId: string;
  recordedAt: string;
}

export interface AppendResult {
  commit: Commit;
  /** True when this very command had already been committed (a retry): nothing new was written. */
  duplicate: boolean;
}

export interface StreamSlice {
  commits: Commit[];
  /** The stream version after the last commit read (0 for an empty stream). */
  version: number;
  /** Hash of the last commit read (GENESIS_HASH for an empty stream). */
  head: string;
}

/**
 * Append-only commits, one conditional write per command. Implementations: DynamoDB (AWS and dynalite) and
 * in-memory; both pass test/contract/event-store.contract.ts.
 */
export interface EventStore {
  /** Throws ConcurrencyError when another command already committed at `expectedVersion + 1`. */
  append(request: AppendRequest): Promise<AppendResult>;
  /** Commits whose events reach `fromVersion` or later, in order. */
  read(stream: string, fromVersion?: number): Promise<StreamSlice>;
  /**
   * Every commit of the ledger, stream by stream in version order (rebuilds, verify-ledger), streamed: what is held
   * in memory is bounded, not the ledger. With a segment, only that segment's streams (a stream is never split
   * between segments), so a rebuild can run the segments in parallel.
   */
  scan(segment?: ScanSegment): AsyncIterable<Commit>;
  /**
   * One page of that scan, resumable from the cursor of the page before: the rebuild's workflow carries the cursor
   * from one Lambda invocation to the next, so no invocation runs past its timeout. The pages of a segment, read
   * in turn, hold the commits `scan(segment)` yields, in its order; a page may end inside a stream (the next
   * page goes on with it). `limit` caps the commits examined (DynamoDB's Limit); a page is at most 1 MB anyway.
   */
  scanPage(request: ScanPageRequest): Promise<ScanPage>;
}

/** Where a page of a scan ends: the last commit it holds (its stream and first version). */
export interface ScanCursor {
  stream: string;
  version: number;
}

export interface ScanPageRequest {
  segment?: ScanSegment;
  /** The cursor of the page before; the first page without. */
  after?: ScanCursor;
  limit?: number;
}

export interface ScanPage {
  commits: Commit[];
  /** Where the next page starts; absent after the last page. */
  next?: ScanCursor;
}

/** One of `total` disjoint parts of the ledger, `index` from 0 (DynamoDB's parallel scan segments). */
export interface ScanSegment {
  index: number;
  total: number;
}

export class ConcurrencyError extends Error {
  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${stream} moved past version ${expectedVersion}`);
  }
}

/** A stored commit that no longer matches its hash chain, or an append whose prevHash is not the head. */
export class IntegrityError extends Error {
  constructor(
    readonly stream: string,
    readonly version: number,
    message: string,
  ) {
    super(message);
  }
}
