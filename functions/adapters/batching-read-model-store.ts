import { BatchGetItemCommand, type AttributeValue, type BatchGetItemCommandOutput, type DynamoDBClient, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ReadModelDoc, ReadModelStore, ReadModelWrite } from '../ports/read-model-store.js';

const MAX_KEYS = 100; // BatchGetItem's maximum

interface Waiter {
  partition: string;
  key: string;
  resolve(doc: ReadModelDoc<unknown> | undefined): void;
  reject(error: unknown): void;
}

/**
 * Group reads for the read-model table: a `get` arriving while a read is already out (`maxInFlight`, 1 by
 * default: measured best on dynalite) waits for it to return, and the reads that gathered meanwhile go together
 * in one strongly consistent BatchGetItem (up to 100 keys). Each caller still reads the item from the table after it asked (nothing is cached: a revoked
 * certificate answers revoked at once), but a busy public route (GET /verify) pays one round trip per batch
 * instead of one per request. A lone read is a plain GetItem; `put`, `putAll` and `query` go straight to the inner store.
 */
export class BatchingReadModelStore implements ReadModelStore {
  private readonly queue: Waiter[] = [];
  private inFlight = 0;

  constructor(
    private readonly inner: ReadModelStore,
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: { maxInFlight?: number } = {},
  ) {}

  get<T>(partition: string, key: string): Promise<ReadModelDoc<T> | undefined> {
    if (this.inFlight < (this.options.maxInFlight ?? 1) && this.queue.length === 0) {
      this.inFlight++;
      return this.inner.get<T>(partition, key).finally(() => this.done());
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ partition, key, resolve: resolve as Waiter['resolve'], reject });
    });
  }

  put<T>(partition: string, key: string, doc: T, position: number, expectedPosition: number): Promise<void> {
    return this.inner.put(partition, key, doc, position, expectedPosition);
  }

  putAll(docs: readonly ReadModelWrite[]): Promise<void> {
    return this.inner.putAll(docs);
  }

  query<T>(partition: string): Promise<ReadModelDoc<T>[]> {
    return this.inner.query<T>(partition);
  }

  private done() {
    this.inFlight--;
    while (this.queue.length && this.inFlight < (this.options.maxInFlight ?? 1)) {
      const batch = this.queue.splice(0, MAX_KEYS);
      this.inFlight++;
      void this.read(batch).finally(() => this.done());
    }
  }

  private async read(batch: Waiter[]): Promise<void> {
    try {
      if (batch.length === 1) {
        const [only] = batch as [Waiter];
        only.resolve(await this.inner.get(only.partition, only.key));
        return;
      }
      const found = new Map<string, ReadModelDoc<unknown>>();
      const wanted = new Map(batch.map((w) => [`${w.partition}\u0000${w.key}`, { pk: w.partition, sk: w.key }]));
      let request: KeysAndAttributes | undefined = { Keys: [...wanted.values()].map((k) => marshall(k)), ConsistentRead: true };
      for (let attempt = 0; request?.Keys?.length; attempt++) {
        if (attempt > 0) {
          if (attempt > 8) throw new Error(`${request.Keys.length} read-model items stayed unprocessed`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        }
        const out: BatchGetItemCommandOutput = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const { pk, sk, doc, position } = unmarshall(item as Record<string, AttributeValue>) as { pk: string; sk: string; doc: string; position: number };
          found.set(`${pk}\u0000${sk}`, { key: sk, doc: JSON.parse(doc) as unknown, position });
        }
        request = out.UnprocessedKeys?.[this.tableName];
      }
      // Each caller gets its own document, as from its own GetItem (copies only for a key asked twice).
      const given = new Set<string>();
      for (const w of batch) {
        const id = `${w.partition}\u0000${w.key}`;
        const doc = found.get(id);
        w.resolve(doc && (given.has(id) ? structuredClone(doc) : doc));
        given.add(id);
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
