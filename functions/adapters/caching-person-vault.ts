import type { PersonalData, PersonVault } from '../ports/person-vault.js';

/**
 * Keeps what the vault answered for a short while, so a public verification does not decrypt the holder's data
 * on every request (the vault costs two reads and, in AWS, a KMS call). `put` and `forget` through this
 * instance take effect at once; an erasure made by another instance (another Lambda) is seen within `ttlMs`.
 * Requests for one person while a read is out share it, and an entry still in use past two thirds of its life is
 * read again in the background: a certificate verified often never waits for the vault, and its holder's entry is
 * never served older than `ttlMs`.
 */
export class CachingPersonVault implements PersonVault {
  private readonly entries = new Map<string, { data: PersonalData | undefined; until: number; refreshAt: number }>();
  private readonly reads = new Map<string, Promise<PersonalData | undefined>>();

  constructor(
    private readonly inner: PersonVault,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  async get(personId: string): Promise<PersonalData | undefined> {
    const cached = this.entries.get(personId);
    const now = this.now();
    if (cached && cached.until > now) {
      if (now >= cached.refreshAt) this.read(personId).catch(() => undefined);
      return cached.data && structuredClone(cached.data);
    }
    const data = await this.read(personId);
    return data && structuredClone(data);
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /** One read of the inner vault per person at a time; what it answered is kept for `ttlMs` from when it was asked. */
  private read(personId: string): Promise<PersonalData | undefined> {
    const pending = this.reads.get(personId);
    if (pending) return pending;
    const asked = this.now();
    const ttl = this.options.ttlMs ?? 30_000;
    const read: Promise<PersonalData | undefined> = this.inner.get(personId).then(
      (data) => {
        // A write through this instance since the read was asked took it out of `reads`: its answer is stale.
        if (this.reads.get(personId) !== read) return data;
        this.reads.delete(personId);
        this.entries.delete(personId);
        if (this.entries.size >= (this.options.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
        this.entries.set(personId, { data, until: asked + ttl, refreshAt: asked + (2 * ttl) / 3 });
        return data;
      },
      (error: unknown) => {
        if (this.reads.get(personId) === read) this.reads.delete(personId);
        throw error;
      },
    );
    this.reads.set(personId, read);
    return read;
  }

  private drop(personId: string) {
    this.entries.delete(personId);
    this.reads.delete(personId);
  }

  /** Not cached: an erasure must stop it at once, and it is asked only when an offer is made or redeemed. */
  secretFor(personId: string, purpose: string): Promise<Uint8Array | undefined> {
    return this.inner.secretFor(personId, purpose);
  }

  async put(personId: string, data: PersonalData): Promise<void> {
    this.drop(personId);
    await this.inner.put(personId, data);
    this.drop(personId);
  }

  async update(personId: string, change: (data: PersonalData) => PersonalData): Promise<boolean> {
    this.drop(personId);
    const updated = await this.inner.update(personId, change);
    this.drop(personId);
    return updated;
  }

  async forget(personId: string): Promise<void> {
    this.drop(personId);
    await this.inner.forget(personId);
    this.drop(personId);
  }
}
