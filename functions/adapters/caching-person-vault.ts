import type { PersonalData, PersonVault } from '../ports/person-vault.js';

/**
 * Keeps what the vault answered for a short while, so a public verification does not decrypt the holder's data
 * on every request (the vault costs two reads and, in AWS, a KMS call). `put` and `forget` through this
 * instance take effect at once; an erasure made by another instance (another Lambda) is seen within `ttlMs`.
 */
export class CachingPersonVault implements PersonVault {
  private readonly entries = new Map<string, { data: PersonalData | undefined; until: number }>();

  constructor(
    private readonly inner: PersonVault,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  async get(personId: string): Promise<PersonalData | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.entries.get(personId);
    if (cached && cached.until > now) return cached.data && structuredClone(cached.data);
    const data = await this.inner.get(personId);
    this.entries.delete(personId);
    if (this.entries.size >= (this.options.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(personId, { data, until: now + (this.options.ttlMs ?? 30_000) });
    return data && structuredClone(data);
  }

  /** Not cached: an erasure must stop it at once, and it is asked only when an offer is made or redeemed. */
  secretFor(personId: string, purpose: string): Promise<Uint8Array | undefined> {
    return this.inner.secretFor(personId, purpose);
  }

  async put(personId: string, data: PersonalData): Promise<void> {
    this.entries.delete(personId);
    await this.inner.put(personId, data);
    this.entries.delete(personId);
  }

  async update(personId: string, change: (data: PersonalData) => PersonalData): Promise<boolean> {
    this.entries.delete(personId);
    const updated = await this.inner.update(personId, change);
    this.entries.delete(personId);
    return updated;
  }

  async forget(personId: string): Promise<void> {
    this.entries.delete(personId);
    await this.inner.forget(personId);
    this.entries.delete(personId);
  }
}
