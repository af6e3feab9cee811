import { IN_PROGRESS_TTL_MS, type IdempotencyClaim, type IdempotencyStore, type StoredResponse } from '../ports/idempotency-store.js';

type Entry = { fingerprint: string; response?: StoredResponse; claimedAt: number; nonce: string };

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  async begin(key: string, fingerprint: string, now: number, nonce: string): Promise<IdempotencyClaim> {
    const entry = this.entries.get(key);
    if (!entry || (!entry.response && now - entry.claimedAt > IN_PROGRESS_TTL_MS)) {
      const kept = entry?.nonce ?? nonce;
      this.entries.set(key, { fingerprint, claimedAt: now, nonce: kept });
      return { state: 'new', nonce: kept };
    }
    if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
    return entry.response ? { state: 'replay', response: entry.response } : { state: 'in-progress' };
  }

  async complete(key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    this.entries.set(key, { fingerprint, response, claimedAt: Date.now(), nonce: this.entries.get(key)?.nonce ?? '' });
  }

  async release(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
