import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '../shared/auth.js';
import { localAccountSub } from '../local/local-token.js';
import { accountExists, accountNotFound, LinkedAccount, sameLink, type AccountDirectory, type Invitation } from '../ports/account-directory.js';

/**
 * The accounts of `npm start` in a dynalite table, so they survive a restart. No message is sent: locally the
 * sign-in page and POST /_local/tokens stand in for the invitation. An item is keyed by a digest of the email and
 * holds no email, so the data dir keeps no personal data outside the vault (test/security/privacy.test.ts); the
 * answers carry the email the caller gave. Each account has an own id (`sub`, random, as Cognito's), and an item
 * `account-sub#<sub>` that names its account's item, so that an account can be disabled by it.
 */
export class LocalAccountDirectory implements AccountDirectory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async invite({ email, group, ledgerId, region }: Invitation): Promise<LinkedAccount> {
    const link = { group, ledgerId, ...(region ? { region } : {}) };
    const sub = randomUUID();
    // The own id's item first: one left by an invitation that lost the race below names an account of another sub,
    // which disable() checks.
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: subKeyOf(sub), account: keyOf(email) }) }));
    try {
      // Conditional: of two concurrent invitations of one email, one creates it and the other compares with it.
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: keyOf(email), ...link, status: 'invited', sub }), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return { email, ...link, status: 'invited', sub };
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

  async disable(account: string, link: { group: Role; ledgerId: string }): Promise<{ sub: string }> {
    // An email always holds an @, an own id never.
    const bySub = !account.includes('@');
    const key = bySub ? await this.keyOfSub(account) : keyOf(account);
    if (!key) throw accountNotFound();
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: key }),
          UpdateExpression: 'SET #status = :disabled',
          ConditionExpression: `attribute_exists(pk) AND #group = :group AND ledgerId = :ledgerId${bySub ? ' AND #sub = :sub' : ''}`,
          ExpressionAttributeNames: { '#status': 'status', '#group': 'group', ...(bySub ? { '#sub': 'sub' } : {}) },
          ExpressionAttributeValues: marshall({ ':disabled': 'disabled', ':group': link.group, ':ledgerId': link.ledgerId, ...(bySub ? { ':sub': account } : {}) }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      const stored = unmarshall(Attributes!);
      return { sub: subOf(stored) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw accountNotFound();
      throw error;
    }
  }

  /** Local tokens are not refreshed: a disabled account gets no new one (POST /_local/tokens), and the ledger refuses the old. */
  async signOut(_sub: string): Promise<void> {}

  async find(email: string): Promise<LinkedAccount | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: keyOf(email) }), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _, ...account } = unmarshall(Item);
    return LinkedAccount.parse({ email, ...account, sub: subOf(account) });
  }

  private async keyOfSub(sub: string): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: subKeyOf(sub) }), ConsistentRead: true }));
    return Item ? String(unmarshall(Item).account) : undefined;
  }
}

const keyOf = (email: string) => `account#${createHash('sha256').update(email).digest('hex')}`;
const subKeyOf = (sub: string) => `account-sub#${sub}`;
// An account invited before accounts had their own id signed in with the id the token command gives its link.
const subOf = (item: Record<string, unknown>) => (typeof item.sub === 'string' ? item.sub : localAccountSub(item.group as Role, String(item.ledgerId)));
