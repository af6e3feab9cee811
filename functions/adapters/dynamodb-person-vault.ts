import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { KeyStore } from '../ports/person-vault.js';
import type { CiphertextStore } from './encrypted-person-vault.js';

/** Ciphertexts in the person vault table (pk = personId). */
export class DynamoCiphertextStore implements CiphertextStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}
  async put(personId: string, ciphertext: string, revision: number) {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: `data#${personId}`, ciphertext, revision }),
          // The first write creates; a change replaces the revision it read, and only that one.
          ...(revision === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'revision = :read', ExpressionAttributeValues: marshall({ ':read': revision - 1 }) }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
  async get(personId: string) {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: `data#${personId}` }), ConsistentRead: true }));
    if (!Item) return undefined;
    // Items written before revisions were kept count as the first.
    const { ciphertext, revision } = unmarshall(Item) as { ciphertext: string; revision?: number };
    return { ciphertext, revision: revision ?? 1 };
  }
}

/**
 * The local KeyStore: per-person keys wrapped (AES-256-GCM) under a master key that never leaves the data dir,
 * standing in for KMS. Destroying a key overwrites it with a tombstone: it can never come back.
 */
export class WrappedKeyStore implements KeyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly masterKey: Uint8Array,
  ) {}

  async keyFor(personId: string, create: boolean): Promise<Uint8Array | undefined> {
    const existing = await this.read(personId);
    if (existing === 'destroyed') return undefined;
    if (existing) return existing;
    if (!create) return undefined;
    const key = new Uint8Array(randomBytes(32));
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: `key#${personId}`, wrapped: this.wrap(key) }), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return key;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await this.read(personId);
      return winner === 'destroyed' ? undefined : winner;
    }
  }

  async destroy(personId: string): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: `key#${personId}`, destroyed: true }) }));
  }

  private async read(personId: string): Promise<Uint8Array | 'destroyed' | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: `key#${personId}` }), ConsistentRead: true }));
    if (!Item) return undefined;
    const item = unmarshall(Item) as { wrapped?: string; destroyed?: boolean };
    return item.destroyed || !item.wrapped ? 'destroyed' : this.unwrap(item.wrapped);
  }

  private wrap(key: Uint8Array): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
  }

  private unwrap(wrapped: string): Uint8Array {
    const [iv, tag, body] = wrapped.split('.').map((p) => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv!);
    decipher.setAuthTag(tag!);
    return new Uint8Array(Buffer.concat([decipher.update(body!), decipher.final()]));
  }
}
