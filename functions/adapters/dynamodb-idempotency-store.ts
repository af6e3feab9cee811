import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { IN_PROGRESS_TTL_MS, type IdempotencyClaim, type IdempotencyStore, type StoredResponse } from '../ports/idempotency-store.js';

/** Keys live in their own table (pk only); `expiresAt` is the TTL attribute in AWS. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async begin(key: string, fingerprint: string, now: number): Promise<IdempotencyClaim> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: key, fingerprint, claimedAt: now, expiresAt: Math.floor(now / 1000) + 86_400 }),
          ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(#response) AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#response': 'response' },
          ExpressionAttributeValues: marshall({ ':stale': now - IN_PROGRESS_TTL_MS }),
        }),
      );
      return { state: 'new' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: key }), ConsistentRead: true }),
    );
    if (!Item) return { state: 'in-progress' };
    const entry = unmarshall(Item) as { fingerprint: string; response?: string };
    if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
    return entry.response ? { state: 'replay', response: JSON.parse(entry.response) as StoredResponse } : { state: 'in-progress' };
  }

  async complete(key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    const now = Date.now();
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ pk: key, fingerprint, claimedAt: now, response: JSON.stringify(response), expiresAt: Math.floor(now / 1000) + 86_400 }),
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshall({ pk: key }) }));
  }
}
