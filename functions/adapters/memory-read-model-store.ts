import { ConcurrencyError } from '../ports/event-store.js';
import type { ReadModelDoc, ReadModelStore, ReadModelWrite } from '../ports/read-model-store.js';

export class MemoryReadModelStore implements ReadModelStore {
  private readonly partitions = new Map<string, Map<string, { doc: string; position: number }>>();

  async get<T>(partition: string, key: string): Promise<ReadModelDoc<T> | undefined> {
    const entry = this.partitions.get(partition)?.get(key);
    return entry && { key, doc: JSON.parse(entry.doc) as T, position: entry.position };
  }

  async put<T>(partition: string, key: string, doc: T, position: number, expectedPosition: number): Promise<void> {
    const docs = this.partitions.get(partition) ?? new Map();
    if ((docs.get(key)?.position ?? 0) !== expectedPosition) throw new ConcurrencyError(`${partition}/${key}`, expectedPosition);
    docs.set(key, { doc: JSON.stringify(doc), position });
    this.partitions.set(partition, docs);
  }

  async putAll(docs: readonly ReadModelWrite[]): Promise<void> {
    for (const { partition, key, doc, position } of docs) {
      let stored = this.partitions.get(partition);
      if (!stored) this.partitions.set(partition, (stored = new Map()));
      stored.set(key, { doc: JSON.stringify(doc), position });
    }
  }

  async query<T>(partition: string): Promise<ReadModelDoc<T>[]> {
    const docs = this.partitions.get(partition) ?? new Map<string, { doc: string; position: number }>();
    return [...docs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, e]) => ({ key, doc: JSON.parse(e.doc) as T, position: e.position }));
  }

  /** Tests only (not on the port): every partition and its documents, in key order. */
  dump(): Record<string, { key: string; doc: unknown; position: number }[]> {
    const out: Record<string, { key: string; doc: unknown; position: number }[]> = {};
    for (const partition of [...this.partitions.keys()].sort()) {
      out[partition] = [...this.partitions.get(partition)!.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, e]) => ({ key, doc: JSON.parse(e.doc) as unknown, position: e.position }));
    }
    return out;
  }
}
