import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  type AttributeValue,
  type DynamoDBClient,
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
