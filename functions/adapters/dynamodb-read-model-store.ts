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
import type { ReadModelDoc, ReadModelStore } from '../ports/read-model-store.js';
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
    for (let i = 0; i < keys.length; i += 25) {
      let requests: Record<string, WriteRequest[]> = { [this.tableName]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) };
      // BatchWriteItem may leave some deletes unprocessed under load: those are sent again, after a pause.
      for (let attempt = 0; Object.keys(requests).length; attempt++) {
        if (attempt > 10) throw new Error(`${this.tableName}: deletes still unprocessed after ${attempt} attempts`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const out: { UnprocessedItems?: Record<string, WriteRequest[]> } = await this.client.send(new BatchWriteItemCommand({ RequestItems: requests }));
        requests = out.UnprocessedItems ?? {};
      }
    }
    const last = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    return { deleted: keys.length, ...(last ? { next: { partition: String(last.pk), key: String(last.sk) } } : {}) };
  }
}
