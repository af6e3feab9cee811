import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../functions/ports/event-store.js';
import type { ReadModelStore } from '../../functions/ports/read-model-store.js';

export interface ReadModelHarness {
  store: ReadModelStore;
  stop(): Promise<void>;
}

let n = 0;
/** A partition of its own per test, so the suites share one table without seeing each other's documents. */
const model = (name: string) => `${name}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

export function readModelStoreContract(name: string, start: () => Promise<ReadModelHarness>) {
  describe(`ReadModelStore contract: ${name}`, () => {
    let h: ReadModelHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => h.stop());

    it('an absent document is undefined; one written at position 0 is read back with its checkpoint', async () => {
      const m = model('certificate-status');
      expect(await h.store.get(m, 'cert-1')).toBeUndefined();
      const doc = { status: 'valid', holder: 'candidate#k1', blocs: ['RNCP37873BC01'], note: 'Évaluée à Saint-Étienne — 2025' };
      await h.store.put(m, 'cert-1', doc, 3, 0);
      expect(await h.store.get(m, 'cert-1')).toEqual({ key: 'cert-1', doc, position: 3 });
      expect(await h.store.get(m, 'cert-2')).toBeUndefined();
      expect(await h.store.get(model('other'), 'cert-1')).toBeUndefined();
    });

    it('a write is conditional on the checkpoint read: a stale or a second first write is a ConcurrencyError and changes nothing', async () => {
      const m = model('candidate-record');
      await h.store.put(m, 'k1', { v: 1 }, 1, 0);
      await expect(h.store.put(m, 'k1', { v: 'again' }, 1, 0)).rejects.toBeInstanceOf(ConcurrencyError);
      await h.store.put(m, 'k1', { v: 2 }, 4, 1);
      await expect(h.store.put(m, 'k1', { v: 'stale' }, 5, 1)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(h.store.put(m, 'k1', { v: 'ahead' }, 9, 7)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(h.store.put(m, 'absent', { v: 'x' }, 2, 1)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await h.store.get(m, 'k1')).toEqual({ key: 'k1', doc: { v: 2 }, position: 4 });
      expect(await h.store.get(m, 'absent')).toBeUndefined();
    });

    it('of concurrent writers that read the same checkpoint, exactly one wins', async () => {
      const m = model('session-view');
      await h.store.put(m, 's1', { writer: 'first' }, 1, 0);
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => h.store.put(m, 's1', { writer: i }, 2, 1)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConcurrencyError);
      const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
      expect(await h.store.get(m, 's1')).toEqual({ key: 's1', doc: { writer: winner }, position: 2 });
    });

    it("a rebuild's batch writes every document as given, whatever is stored, the later of a key given twice kept", async () => {
      const m = model('rebuilt');
      const other = model('rebuilt-index');
      await h.store.put(m, 'k0', { stale: true }, 9, 0);
      // More than one BatchWriteItem (25 items) and more than one request in flight.
      const docs = Array.from({ length: 130 }, (_, i) => ({ partition: i % 2 ? other : m, key: `k${i}`, doc: { i, note: 'Évaluée à Saint-Étienne' }, position: i + 1 }));
      await h.store.putAll([...docs, { partition: m, key: 'k2', doc: null, position: 200 }]);
      expect(await h.store.get(m, 'k0')).toEqual({ key: 'k0', doc: { i: 0, note: 'Évaluée à Saint-Étienne' }, position: 1 });
      expect(await h.store.get(m, 'k2')).toEqual({ key: 'k2', doc: null, position: 200 });
      expect(await h.store.get(other, 'k129')).toEqual({ key: 'k129', doc: { i: 129, note: 'Évaluée à Saint-Étienne' }, position: 130 });
      expect((await h.store.query(m)).length).toBe(65);
      expect((await h.store.query(other)).length).toBe(65);
      await h.store.putAll([]);
      // A checkpointed write goes on from the position the batch wrote.
      await h.store.put(m, 'k4', { after: 'rebuild' }, 6, 5);
      expect((await h.store.get(m, 'k4'))!.doc).toEqual({ after: 'rebuild' });
    });

    it('a document read is a copy: changing it changes nothing stored', async () => {
      const m = model('copies');
      await h.store.put(m, 'k', { blocs: ['a'] }, 1, 0);
      const read = await h.store.get<{ blocs: string[] }>(m, 'k');
      read!.doc.blocs.push('b');
      const [listed] = await h.store.query<{ blocs: string[] }>(m);
      listed!.doc.blocs.push('c');
      expect((await h.store.get(m, 'k'))!.doc).toEqual({ blocs: ['a'] });
    });

    it('queries one partition only, ordered by key, each document with its checkpoint', async () => {
      const m = model('sessions-by-centre');
      const keys = ['centre#c2|s-10', 'centre#c1|s-2', 'centre#c1|s-10', 'Centre#c1|s-1'];
      for (const [i, key] of keys.entries()) await h.store.put(m, key, { i }, i + 1, 0);
      await h.store.put(model('sessions-by-centre'), 'centre#c1|s-3', { other: true }, 1, 0);
      expect((await h.store.query(m)).map((d: { key: string; position: number }) => [d.key, d.position])).toEqual([
        ['Centre#c1|s-1', 4],
        ['centre#c1|s-10', 3],
        ['centre#c1|s-2', 2],
        ['centre#c2|s-10', 1],
      ]);
      expect(await h.store.query(model('empty'))).toEqual([]);
    });

    it('queries every document of a partition larger than one page of a read (1 MB in DynamoDB)', { timeout: 120_000 }, async () => {
      const m = model('statistics-facts');
      const padding = 'x'.repeat(40_000);
      const keys = Array.from({ length: 40 }, (_, i) => `fact-${String(i).padStart(3, '0')}`);
      await Promise.all(keys.map((key) => h.store.put(m, key, { padding, key }, 1, 0)));
      const listed = await h.store.query<{ key: string }>(m);
      expect(listed.map((d) => d.doc.key)).toEqual(keys);
    });

    it('concurrent reads of many keys each get their own document (absent ones undefined)', async () => {
      const m = model('verify');
      for (let i = 0; i < 30; i += 2) await h.store.put(m, `code-${i}`, { code: i }, i + 1, 0);
      const reads = await Promise.all(Array.from({ length: 30 }, (_, i) => h.store.get<{ code: number }>(m, `code-${i}`)));
      for (const [i, read] of reads.entries()) expect(read).toEqual(i % 2 === 0 ? { key: `code-${i}`, doc: { code: i }, position: i + 1 } : undefined);
      // The same key asked twice at once: two documents, not one shared object.
      const [a, b] = await Promise.all([h.store.get<{ code: number }>(m, 'code-4'), h.store.get<{ code: number }>(m, 'code-4')]);
      a!.doc.code = -1;
      expect(b!.doc.code).toBe(4);
    });
  });
}
