import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { IN_PROGRESS_TTL_MS, type IdempotencyClaim, type IdempotencyStore, type StoredResponse } from '../ports/idempotency-store.js';

/** Keys live in their own table (pk only); `expiresAt` is the TTL attribute in AWS. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async begin(key: string, fingerprint: string, now: number, nonce: string): Promise<IdempotencyClaim> {
    try {
      // One conditional write claims a new key or takes over a stale claim, keeping the nonce of the first attempt.
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: key }),
          UpdateExpression: 'SET fingerprint = :fingerprint, claimedAt = :now, expiresAt = :expires, nonce = if_not_exists(nonce, :nonce)',
          ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(#response) AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#response': 'response' },
          ExpressionAttributeValues: marshall({
            ':fingerprint': fingerprint,
            ':now': now,
            ':expires': Math.floor(now / 1000) + 86_400,
            ':nonce': nonce,
            ':stale': now - IN_PROGRESS_TTL_MS,
          }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { state: 'new', nonce: (unmarshall(Attributes ?? {}) as { nonce?: string }).nonce ?? nonce };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: key }), ConsistentRead: true }));
    if (!Item) return { state: 'in-progress' };
    const entry = unmarshall(Item) as { fingerprint: string; response?: string };
    if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
    return entry.response ? { state: 'replay', response: JSON.parse(entry.response) as StoredResponse } : { state: 'in-progress' };
  }

  async complete(key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    const now = Date.now();
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: key }),
        UpdateExpression: 'SET fingerprint = :fingerprint, claimedAt = :now, #response = :response, expiresAt = :expires',
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: marshall({ ':fingerprint': fingerprint, ':now': now, ':response': JSON.stringify(response), ':expires': Math.floor(now / 1000) + 86_400 }),
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshall({ pk: key }) }));
  }
}
