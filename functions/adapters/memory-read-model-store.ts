import { ConcurrencyError } from '../ports/event-store.js';
import type { ReadModelDoc, ReadModelStore } from '../ports/read-model-store.js';

export class MemoryReadModelStore implements ReadModelStore {
  private readonly models = new Map<string, Map<string, { doc: string; position: number }>>();

  async get<T>(model: string, key: string): Promise<ReadModelDoc<T> | undefined> {
    const entry = this.models.get(model)?.get(key);
    return entry && { key, doc: JSON.parse(entry.doc) as T, position: entry.position };
  }

  async put<T>(model: string, key: string, doc: T, position: number, expectedPosition: number): Promise<void> {
    const docs = this.models.get(model) ?? new Map();
    if ((docs.get(key)?.position ?? 0) !== expectedPosition) throw new ConcurrencyError(`${model}/${key}`, expectedPosition);
    docs.set(key, { doc: JSON.stringify(doc), position });
    this.models.set(model, docs);
  }

  async list<T>(model: string): Promise<ReadModelDoc<T>[]> {
    const docs = this.models.get(model) ?? new Map<string, { doc: string; position: number }>();
    return [...docs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, e]) => ({ key, doc: JSON.parse(e.doc) as T, position: e.position }));
  }
}
