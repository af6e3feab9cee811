export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  /**
   * The key is this request's: `nonce` is the one given, or — when it takes over the stale claim of a request that
   * died — that request's, so a retry derives the same ids as the attempt it finishes.
   */
  { state: 'new'; nonce: string } | { state: 'replay'; response: StoredResponse } | { state: 'mismatch' } | { state: 'in-progress' };

/**
 * Remembers the first answer to each Idempotency-Key. `begin` claims the key atomically (one conditional
 * write), so of two concurrent requests with the same key only one runs.
 */
export interface IdempotencyStore {
  begin(key: string, fingerprint: string, now: number, nonce: string): Promise<IdempotencyClaim>;
  complete(key: string, fingerprint: string, response: StoredResponse): Promise<void>;
  /** The request failed without effect: the key may be used again. */
  release(key: string): Promise<void>;
}

/** How long an unfinished claim blocks its key before a retry may take it over (a crashed request). */
export const IN_PROGRESS_TTL_MS = 30_000;
