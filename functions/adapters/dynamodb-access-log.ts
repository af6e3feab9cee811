import { BatchWriteItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { AccessRecord, type AccessLog } from '../ports/access-log.js';

const BATCH = 25; // BatchWriteItem's maximum
/** Kept as long as the candidate may ask (a year beyond the verifications' retention is not needed: 3 years). */
const ACCESS_RETENTION_DAYS = 3 * 366;
/** The access log shares the verifications table (one more table would be one more set of alarms and grants). */
/** The access logs' partitions (`access#<personId>`) in the verifications table; IAM denies them to the verification log's functions. */
export const ACCESS_LOG_PARTITION = 'access';
const partitionOf = (personId: string) => `${ACCESS_LOG_PARTITION}#${personId}`;

/** One item per read (pk = `access#<personId>`, sk = `<at>#<requestId>#<reader>#<purpose>`), appended, never updated. */
export class DynamoAccessLog implements AccessLog {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(entries: readonly AccessRecord[]): Promise<void> {
    const byKey = new Map<string, WriteRequest>();
    for (const entry of entries) {
      const record = AccessRecord.parse(entry);
      const sk = `${record.at}#${record.requestId}#${record.reader}#${record.purpose}`;
      const Item = marshall({ ...record, pk: partitionOf(record.personId), sk, expiresAt: Math.floor(Date.parse(record.at) / 1000) + ACCESS_RETENTION_DAYS * 86_400 });
      byKey.set(`${record.personId}|${sk}`, { PutRequest: { Item } });
    }
    const all = [...byKey.values()];
    for (let i = 0; i < all.length; i += BATCH) {
      let requests = all.slice(i, i + BATCH);
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 8) throw new Error(`${requests.length} access records stayed unprocessed`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = out.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async list(personId: string): Promise<AccessRecord[]> {
    const records: AccessRecord[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: marshall({ ':p': partitionOf(personId) }),
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { pk: _, sk: __, expiresAt: ___, ...record } = unmarshall(item);
        records.push(AccessRecord.parse(record));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }
}
