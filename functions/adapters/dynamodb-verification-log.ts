import { BatchWriteItemCommand, QueryCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { VERIFICATION_RETENTION_DAYS, VerificationRecord, type VerificationLog, type VerificationWindow } from '../ports/verification-log.js';
const BATCH = 25; // BatchWriteItem's maximum

interface Pending {
  request: WriteRequest;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * One item per verification in the verifications table (pk = code, sk = `<at>#<requestId>`): appended, never
 * updated, so verifications of one certificate never contend. A record waits at most `lingerMs` (20 ms) for
 * others, or until 25 are held, and they go together in one BatchWriteItem; records that arrive while writes
 * are in flight go in the next one (group commit). `record` resolves when its own record is durable, but the
 * public route does not wait for it (no round trip on the hot path): `flush` writes what is held at once, and
 * runs on shutdown and at the end of each Lambda invocation; `list` flushes first, so a holder sees every
 * verification this instance answered.
 */
export class DynamoVerificationLog implements VerificationLog {
  private readonly queue: Pending[] = [];
  private readonly unsettled = new Set<Promise<void>>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: { maxInFlight?: number; lingerMs?: number } = {},
  ) {}

  record(entry: VerificationRecord): Promise<void> {
    const at = Date.parse(entry.at);
    const item = marshall(
      { ...VerificationRecord.parse(entry), pk: entry.code, sk: `${entry.at}#${entry.requestId}`, expiresAt: Math.floor(at / 1000) + VERIFICATION_RETENTION_DAYS * 86_400 },
      { removeUndefinedValues: true },
    );
    const done = new Promise<void>((resolve, reject) => this.queue.push({ request: { PutRequest: { Item: item } }, resolve, reject }));
    this.unsettled.add(done);
    const settled = () => this.unsettled.delete(done);
    done.then(settled, settled);
    if (this.queue.length >= BATCH) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.options.lingerMs ?? 20);
    return done;
  }

  async flush(): Promise<void> {
    this.pump();
    await Promise.allSettled([...this.unsettled]);
  }

  private pump() {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length && this.inFlight < (this.options.maxInFlight ?? 4)) {
      const batch = this.queue.splice(0, BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      // BatchWriteItem refuses a batch that names one item twice: a record sent twice is written once.
      const byKey = new Map(batch.map((p) => [`${p.request.PutRequest!.Item!.pk!.S}|${p.request.PutRequest!.Item!.sk!.S}`, p.request]));
      let requests = [...byKey.values()];
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt > 0) {
          if (attempt > 8) throw new Error(`${requests.length} verification records stayed unprocessed`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        }
        const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = out.UnprocessedItems?.[this.tableName] ?? [];
      }
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  async list(code: string, window: VerificationWindow): Promise<VerificationRecord[]> {
    await this.flush();
    // Newest first, one bounded page (the sort key starts with the instant), turned back to oldest first.
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :code AND sk >= :since',
        ExpressionAttributeValues: marshall({ ':code': code, ':since': window.since }),
        ConsistentRead: true,
        ScanIndexForward: false,
        Limit: window.limit,
      }),
    );
    return (page.Items ?? [])
      .map((item) => {
        const { pk: _, sk: __, expiresAt: ___, ...record } = unmarshall(item);
        return VerificationRecord.parse(record);
      })
      .reverse();
  }
}
