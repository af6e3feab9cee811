import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '../shared/auth.js';
import { Account, accountExists, accountNotFound, sameLink, type AccountDirectory, type Invitation } from '../ports/account-directory.js';

/**
 * The accounts of `npm start` in a dynalite table, so they survive a restart. No message is sent: locally the
 * sign-in page and POST /_local/tokens stand in for the invitation. An item is keyed by a digest of the email and
 * holds no email, so the data dir keeps no personal data outside the vault (test/security/privacy.test.ts); the
 * answers carry the email the caller gave.
 */
export class LocalAccountDirectory implements AccountDirectory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async invite({ email, group, ledgerId, region }: Invitation): Promise<Account> {
    const link = { group, ledgerId, ...(region ? { region } : {}) };
    try {
      // Conditional: of two concurrent invitations of one email, one creates it and the other compares with it.
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: keyOf(email), ...link, status: 'invited' }), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return { email, ...link, status: 'invited' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.find(email);
    if (!existing || !sameLink(existing, { group, ledgerId, region })) throw accountExists();
    if (existing.status !== 'disabled') return existing;
    // Invited again after it was disabled: enabled again.
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: keyOf(email) }),
        UpdateExpression: 'SET #status = :invited',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({ ':invited': 'invited' }),
      }),
    );
    return { ...existing, status: 'invited' };
  }

  async disable(email: string, link: { group: Role; ledgerId: string }): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: keyOf(email) }),
          UpdateExpression: 'SET #status = :disabled',
          ConditionExpression: 'attribute_exists(pk) AND #group = :group AND ledgerId = :ledgerId',
          ExpressionAttributeNames: { '#status': 'status', '#group': 'group' },
          ExpressionAttributeValues: marshall({ ':disabled': 'disabled', ':group': link.group, ':ledgerId': link.ledgerId }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw accountNotFound();
      throw error;
    }
  }

  async find(email: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: keyOf(email) }), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _, ...account } = unmarshall(Item);
    return Account.parse({ email, ...account });
  }
}

const keyOf = (email: string) => `account#${createHash('sha256').update(email).digest('hex')}`;
