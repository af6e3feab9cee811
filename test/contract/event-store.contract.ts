import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, type Commit, type StoredEvent } from '../../events/envelope.js';
import { ConcurrencyError, IntegrityError, type EventStore, type ScanCursor } from '../../functions/ports/event-store.js';

export interface EventStoreHarness {
  store: EventStore;
  /** Rewrites a stored commit behind the store's back, as someone with raw table access could. */
  tamper(stream: string, version: number, change: (commit: Commit) => void): Promise<void>;
  stop(): Promise<void>;
}

const event = (n: number, data: unknown = { n }): StoredEvent => ({
  eventId: randomUUID(),
  type: 'ContractTested',
  schemaVersion: 1,
  data,
  meta: { occurredAt: '2025-01-01T00:00:00.000Z', actor: 'system:test', correlationId: 'c', causationId: 'c' },
});

const newStream = () => `contract#${randomUUID()}`;

/** The behaviour every EventStore adapter must have, run against the in-memory and the DynamoDB adapter. */
export function eventStoreContract(name: string, start: () => Promise<EventStoreHarness>) {
  describe(`EventStore contract: ${name}`, () => {
    let h: EventStoreHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    const append = async (stream: string, expectedVersion: number, prevHash: string, events: StoredEvent[], commandId: string = randomUUID()) =>
      h.store.append({ stream, expectedVersion, prevHash, events, commandId, recordedAt: '2025-01-01T00:00:00.000Z' });

    it('reads back what was appended, in order, with versions and a hash chain', async () => {
      const stream = newStream();
      const first = await append(stream, 0, GENESIS_HASH, [event(1), event(2)]);
      const second = await append(stream, 2, first.commit.hash, [event(3)]);
      const slice = await h.store.read(stream);
      expect(slice.version).toBe(3);
      expect(slice.head).toBe(second.commit.hash);
      expect(slice.commits.map((c) => [c.version, c.last])).toEqual([
        [1, 2],
        [3, 3],
      ]);
      expect(slice.commits.flatMap((c) => c.events.map((e) => (e.data as { n: number }).n))).toEqual([1, 2, 3]);
      expect(slice.commits[1]!.prevHash).toBe(first.commit.hash);
    });

    it('an unknown stream reads as empty at version 0', async () => {
      const slice = await h.store.read(newStream());
      expect(slice).toEqual({ commits: [], version: 0, head: GENESIS_HASH });
    });

    it('reads from a version, including the commit that holds it', async () => {
      const stream = newStream();
      const a = await append(stream, 0, GENESIS_HASH, [event(1), event(2)]);
      const b = await append(stream, 2, a.commit.hash, [event(3), event(4)]);
      await append(stream, 4, b.commit.hash, [event(5)]);
      expect((await h.store.read(stream, 3)).commits.map((c) => c.version)).toEqual([3, 5]);
      expect((await h.store.read(stream, 4)).commits.map((c) => c.version)).toEqual([3, 5]);
      expect((await h.store.read(stream, 5)).commits.map((c) => c.version)).toEqual([5]);
      const past = await h.store.read(stream, 6);
      expect(past.commits).toEqual([]);
      expect(past.version).toBe(5);
    });

    it('refuses a stale expected version with a typed ConcurrencyError and writes nothing', async () => {
      const stream = newStream();
      const first = await append(stream, 0, GENESIS_HASH, [event(1)]);
      await expect(append(stream, 0, GENESIS_HASH, [event(99), event(100)])).rejects.toBeInstanceOf(ConcurrencyError);
      const slice = await h.store.read(stream);
      expect(slice.version).toBe(1);
      expect(slice.commits).toHaveLength(1);
      expect(slice.head).toBe(first.commit.hash);
    });

    it('recognises a retry of the same command as a success that writes nothing more', async () => {
      const stream = newStream();
      const events = [event(1), event(2)];
      const first = await append(stream, 0, GENESIS_HASH, events, 'command-42');
      const retry = await append(stream, 0, GENESIS_HASH, events, 'command-42');
      expect(first.duplicate).toBe(false);
      expect(retry.duplicate).toBe(true);
      expect(retry.commit.hash).toBe(first.commit.hash);
      expect((await h.store.read(stream)).version).toBe(2);
    });

    it('a multi-event commit is all or nothing: a colliding commit leaves none of its events', async () => {
      const stream = newStream();
      const first = await append(stream, 0, GENESIS_HASH, [event(1)]);
      await append(stream, 1, first.commit.hash, [event(2), event(3), event(4)]);
      await expect(append(stream, 1, first.commit.hash, [event(20), event(30), event(40), event(50)])).rejects.toBeInstanceOf(ConcurrencyError);
      const slice = await h.store.read(stream);
      const ns = slice.commits.flatMap((c) => c.events.map((e) => (e.data as { n: number }).n));
      expect(ns).toEqual([1, 2, 3, 4]);
    });

    it('20 concurrent appends at the same expected version: exactly one wins, 19 conflict, no gap', async () => {
      const stream = newStream();
      const base = await append(stream, 0, GENESIS_HASH, [event(0)]);
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => append(stream, 1, base.commit.hash, [event(i + 1), event(i + 100)])));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      const slice = await h.store.read(stream);
      expect(slice.commits.map((c) => [c.version, c.last])).toEqual([
        [1, 1],
        [2, 3],
      ]);
    });

    it('reads streams longer than one Query page', async () => {
      const stream = newStream();
      const padding = 'x'.repeat(300_000); // a DynamoDB Query page stops at 1 MB: 5 such commits need 2 pages
      let head = GENESIS_HASH;
      for (let v = 0; v < 5; v++) head = (await append(stream, v, head, [event(v + 1, { n: v + 1, padding })])).commit.hash;
      const slice = await h.store.read(stream);
      expect(slice.commits.map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
      expect(slice.head).toBe(head);
    });

    it('detects a modified commit through the hash chain and names it', async () => {
      const stream = newStream();
      const a = await append(stream, 0, GENESIS_HASH, [event(1)]);
      const b = await append(stream, 1, a.commit.hash, [event(2)]);
      await append(stream, 2, b.commit.hash, [event(3)]);
      await h.tamper(stream, 2, (commit) => {
        (commit.events[0]!.data as { n: number }).n = 200;
      });
      const error = await h.store.read(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error).toMatchObject({ stream, version: 2 });
    });

    it('scans every commit, stream by stream in version order', async () => {
      const stream = newStream();
      const a = await append(stream, 0, GENESIS_HASH, [event(1)]);
      await append(stream, 1, a.commit.hash, [event(2)]);
      const seen: Commit[] = [];
      for await (const commit of h.store.scan()) if (commit.stream === stream) seen.push(commit);
      expect(seen.map((c) => c.version)).toEqual([1, 2]);
    });

    it('scans in disjoint segments that together hold every commit, each stream whole within one segment', async () => {
      const streams = Array.from({ length: 12 }, () => newStream());
      for (const stream of streams) {
        const a = await append(stream, 0, GENESIS_HASH, [event(1)]);
        await append(stream, 1, a.commit.hash, [event(2)]);
      }
      const ours = new Set(streams);
      const segments: string[][] = [];
      for (let index = 0; index < 3; index++) {
        const seen: string[] = [];
        for await (const commit of h.store.scan({ index, total: 3 })) if (ours.has(commit.stream)) seen.push(`${commit.stream}@${commit.version}`);
        segments.push(seen);
      }
      const all = segments.flat();
      expect(all.length).toBe(24);
      expect(new Set(all).size).toBe(24);
      for (const stream of streams) {
        const holding = segments.filter((seen) => seen.some((s) => s.startsWith(`${stream}@`)));
        expect(holding).toHaveLength(1);
        expect(holding[0]!.filter((s) => s.startsWith(`${stream}@`))).toEqual([`${stream}@1`, `${stream}@2`]);
      }
    });

    it('reads a segment page by page from a cursor, the pages together holding what the segment scan yields, in its order', async () => {
      const streams = Array.from({ length: 8 }, () => newStream());
      for (const stream of streams) {
        let head = GENESIS_HASH;
        for (let v = 0; v < 3; v++) head = (await append(stream, v, head, [event(v + 1)])).commit.hash;
      }
      const ours = new Set(streams);
      for (let index = 0; index < 2; index++) {
        const segment = { index, total: 2 };
        const scanned: string[] = [];
        for await (const commit of h.store.scan(segment)) if (ours.has(commit.stream)) scanned.push(`${commit.stream}@${commit.version}`);
        const paged: string[] = [];
        let after: ScanCursor | undefined;
        let pages = 0;
        do {
          // Two commits a page: pages end inside streams, and the next page goes on with the same stream.
          const page = await h.store.scanPage({ segment, limit: 2, ...(after ? { after } : {}) });
          expect(page.commits.length).toBeLessThanOrEqual(2);
          for (const commit of page.commits) if (ours.has(commit.stream)) paged.push(`${commit.stream}@${commit.version}`);
          after = page.next;
          pages++;
        } while (after && pages < 10_000);
        expect(after).toBeUndefined();
        expect(paged).toEqual(scanned);
      }
    });

    it('gives the same page again for the same cursor (a retried invocation reads what the first read)', async () => {
      const stream = newStream();
      const a = await append(stream, 0, GENESIS_HASH, [event(1)]);
      await append(stream, 1, a.commit.hash, [event(2)]);
      const first = await h.store.scanPage({ limit: 1 });
      expect(first.next).toBeDefined();
      const again = await h.store.scanPage({ limit: 1 });
      expect(again).toEqual(first);
      const second = await h.store.scanPage({ limit: 1, after: first.next! });
      expect(second.commits.map((c) => `${c.stream}@${c.version}`)).not.toEqual(first.commits.map((c) => `${c.stream}@${c.version}`));
    });
  });
}
