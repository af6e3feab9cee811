import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrencyError } from '../ports/event-store.js';
import { SignIns, type SignInRecords, type StoredSignIns } from '../ports/sign-in-records.js';

/**
 * The sign-in records in their own table: pk = the ledger id, the record as JSON text, its version. Read strongly
 * consistent (a disabling answered 204 holds for the very next request); written with one conditional PutItem.
 */
export class DynamoSignInRecords implements SignInRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(ledgerId: string): Promise<StoredSignIns | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: ledgerId }), ConsistentRead: true }));
    if (!Item) return undefined;
    const item = unmarshall(Item) as { record: string; version: number };
    return { record: SignIns.parse(JSON.parse(item.record)), version: Number(item.version) };
  }

  async put(ledgerId: string, record: SignIns, version: number, expectedVersion: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: ledgerId, record: JSON.stringify(SignIns.parse(record)), version }),
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: marshall({ ':expected': expectedVersion }),
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrencyError(`sign-ins#${ledgerId}`, expectedVersion);
      throw error;
    }
  }
}
