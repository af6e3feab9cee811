import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrencyError } from '../ports/event-store.js';
import type { ReadModelDoc, ReadModelStore, ReadModelWrite } from '../ports/read-model-store.js';
import { waitActive } from './dynamodb-event-store.js';

/** One table for all read models: pk = the partition (`model#partition`), sk = document key, doc as JSON text, position as checkpoint. */
export class DynamoReadModelStore implements ReadModelStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get<T>(partition: string, key: string): Promise<ReadModelDoc<T> | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: partition, sk: key }), ConsistentRead: true }));
    return Item && toDoc<T>(Item);
  }

  async put<T>(partition: string, key: string, doc: T, position: number, expectedPosition: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: partition, sk: key, doc: JSON.stringify(doc), position }),
          ...(expectedPosition === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#p = :expected', ExpressionAttributeNames: { '#p': 'position' }, ExpressionAttributeValues: marshall({ ':expected': expectedPosition }) }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrencyError(`${partition}/${key}`, expectedPosition);
      throw error;
    }
  }

  async putAll(docs: readonly ReadModelWrite[]): Promise<void> {
    // BatchWriteItem refuses a key twice in one request: the later write of a key is the one kept.
    const latest = new Map<string, ReadModelWrite>();
    for (const d of docs) {
      const id = `${d.partition}\u0000${d.key}`;
      latest.delete(id);
      latest.set(id, d);
    }
    const items = [...latest.values()];
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_MAX)
      batches.push(
        items
          .slice(i, i + BATCH_WRITE_MAX)
          .map(({ partition, key, doc, position }) => ({ PutRequest: { Item: marshall({ pk: partition, sk: key, doc: JSON.stringify(doc), position }) } })),
      );
    // A few requests in flight: a page's documents land in the time of a few round trips, not one per 25 items.
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await batchWrite(this.client, this.tableName, batches[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_WRITES_IN_FLIGHT, batches.length) }, worker));
  }

  async query<T>(partition: string): Promise<ReadModelDoc<T>[]> {
    const docs: ReadModelDoc<T>[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :m',
          ExpressionAttributeValues: marshall({ ':m': partition }),
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) docs.push(toDoc<T>(item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return docs;
  }
}

/** BatchWriteItem's maximum. */
const BATCH_WRITE_MAX = 25;
const BATCH_WRITES_IN_FLIGHT = 4;

/** One BatchWriteItem; what DynamoDB leaves unprocessed under load is sent again, after a pause. */
async function batchWrite(client: DynamoDBClient, tableName: string, writes: WriteRequest[]): Promise<void> {
  let requests: Record<string, WriteRequest[]> = { [tableName]: writes };
  for (let attempt = 0; Object.keys(requests).length; attempt++) {
    if (attempt > 10) throw new Error(`${tableName}: writes still unprocessed after ${attempt} attempts`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    const out: { UnprocessedItems?: Record<string, WriteRequest[]> } = await client.send(new BatchWriteItemCommand({ RequestItems: requests }));
    requests = out.UnprocessedItems && Object.keys(out.UnprocessedItems).length ? out.UnprocessedItems : {};
  }
}

function toDoc<T>(item: Record<string, AttributeValue>): ReadModelDoc<T> {
  const { sk, doc, position } = unmarshall(item) as { sk: string; doc: string; position: number };
  return { key: sk, doc: JSON.parse(doc) as T, position };
}

/** A table keyed by pk (string) and sk (string): read models and the local scheduler's timers. */
export async function ensureKeyValueTable(client: DynamoDBClient, tableName: string, withSortKey = true): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(withSortKey ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : [])],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(withSortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitActive(client, tableName);
}

/** Where a page of a read-model table's scan ends (its last item's keys). */
export interface ReadModelCursor {
  partition: string;
  key: string;
}

/**
 * A whole read-model table, for the rebuild only: emptying the idle table page by page (parallel scan segments,
 * keys only) before the read models are rebuilt into it, so that nothing of its previous generation survives.
 * Never used on the table the functions serve from (the rebuild's plan refuses it).
 */
export class DynamoReadModelTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Deletes one page of a segment's items; resumable from the cursor of the page before. */
  async clearPage(request: { segment: { index: number; total: number }; after?: ReadModelCursor; limit?: number }): Promise<{ deleted: number; next?: ReadModelCursor }> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        ProjectionExpression: 'pk, sk',
        Segment: request.segment.index,
        TotalSegments: request.segment.total,
        ...(request.after ? { ExclusiveStartKey: marshall({ pk: request.after.partition, sk: request.after.key }) } : {}),
        ...(request.limit ? { Limit: request.limit } : {}),
      }),
    );
    const keys = page.Items ?? [];
    for (let i = 0; i < keys.length; i += BATCH_WRITE_MAX)
      await batchWrite(
        this.client,
        this.tableName,
        keys.slice(i, i + BATCH_WRITE_MAX).map((Key) => ({ DeleteRequest: { Key } })),
      );
    const last = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    return { deleted: keys.length, ...(last ? { next: { partition: String(last.pk), key: String(last.sk) } } : {}) };
  }
}
