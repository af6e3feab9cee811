import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { commitHash } from '../../events/canonical-json.js';
import { Commit, GENESIS_HASH } from '../../events/envelope.js';
import {
  ConcurrencyError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ScanCursor,
  type ScanPage,
  type ScanPageRequest,
  type ScanSegment,
  type StreamSlice,
} from '../ports/event-store.js';
import { verifyChain } from './hash-chain.js';

export type CommitItem = Record<string, AttributeValue>;

/** Commit item as stored: pk/sk are the stream and the first version (DESIGN.md, "Event store"). */
export function commitToItem(commit: Commit): CommitItem {
  const { stream, version, ...rest } = commit;
  return marshall({ pk: stream, sk: version, ...rest }, { removeUndefinedValues: true });
}

export function itemToCommit(item: CommitItem): Commit {
  const { pk, sk, ...rest } = unmarshall(item);
  return Commit.parse({ stream: pk, version: sk, ...rest });
}

export interface DynamoEventStoreOptions {
  /** Called after each new commit is durably written: the local change feed hooks in here. */
  onCommitted?: (item: CommitItem) => void;
  /**
   * Called before each PutItem, and told after it whether the commit was written: the local change feed's journal
   * records the intent first, so a crash between the write and its delivery is found again at start.
   */
  onAppending?: (commit: Commit) => { committed(item: CommitItem): void; abandoned(): void };
}

export class DynamoEventStore implements EventStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: DynamoEventStoreOptions = {},
  ) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const commit = buildCommit(request);
    const item = commitToItem(commit);
    const intent = this.options.onAppending?.(commit);
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      // Any other failure may still have written the commit (a timeout): the intent stays for the next start to check.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      intent?.abandoned();
      return this.resolveCollision(request);
    }
    intent?.committed(item);
    this.options.onCommitted?.(item);
    return { commit, duplicate: false };
  }

  private async resolveCollision(request: AppendRequest): Promise<AppendResult> {
    const existing = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: request.stream, sk: request.expectedVersion + 1 }),
        ConsistentRead: true,
      }),
    );
    if (existing.Item) {
      const commit = itemToCommit(existing.Item);
      if (commit.commandId === request.commandId) return { commit, duplicate: true };
    }
    throw new ConcurrencyError(request.stream, request.expectedVersion);
  }

  async read(stream: string, fromVersion = 1): Promise<StreamSlice> {
    const commits: Commit[] = [];
    if (fromVersion > 1) {
      // The commit holding fromVersion may start before it.
      const before = await this.query(stream, { below: fromVersion, limit: 1 });
      if (before[0] && before[0].last >= fromVersion) commits.push(before[0]);
    }
    commits.push(...(await this.query(stream, { from: fromVersion })));
    verifyChain(commits);
    const last = commits.at(-1);
    if (last) return { commits, version: last.last, head: last.hash };
    if (fromVersion <= 1) return { commits, version: 0, head: GENESIS_HASH };
    // Nothing at or after fromVersion: report the true head so callers can still append.
    const [head] = await this.query(stream, { below: fromVersion, limit: 1 });
    return { commits, version: head?.last ?? 0, head: head?.hash ?? GENESIS_HASH };
  }

  private async query(stream: string, range: { from?: number; below?: number; limit?: number }): Promise<Commit[]> {
    const commits: Commit[] = [];
    let ExclusiveStartKey: CommitItem | undefined;
    const backward = range.below !== undefined;
    // From the first version, the whole partition: no sort-key condition to send (and for the emulator to parse).
    const whole = !backward && (range.from ?? 1) <= 1;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: whole ? 'pk = :pk' : backward ? 'pk = :pk AND sk < :v' : 'pk = :pk AND sk >= :v',
          ExpressionAttributeValues: whole ? { ':pk': { S: stream } } : marshall({ ':pk': stream, ':v': backward ? range.below : range.from }),
          ScanIndexForward: !backward,
          ConsistentRead: true,
          Limit: range.limit,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) commits.push(itemToCommit(item));
      ExclusiveStartKey = range.limit && commits.length >= range.limit ? undefined : page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return commits;
  }

  /**
   * Page by page, one page (at most 1 MB) in memory at a time. A Scan returns the items of one partition together
   * and in sort-key order, so each stream comes whole and in version order (a parallel scan keeps a partition
   * within one segment); a page's items are still grouped and sorted, in case a page boundary splits a stream.
   */
  async *scan(segment?: ScanSegment): AsyncIterable<Commit> {
    let after: ScanCursor | undefined;
    do {
      const page = await this.scanPage({ ...(segment ? { segment } : {}), ...(after ? { after } : {}) });
      yield* page.commits;
      after = page.next;
    } while (after);
  }

  async scanPage({ segment, after, limit }: ScanPageRequest): Promise<ScanPage> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        ConsistentRead: true,
        ...(after ? { ExclusiveStartKey: marshall({ pk: after.stream, sk: after.version }) } : {}),
        ...(segment ? { Segment: segment.index, TotalSegments: segment.total } : {}),
        ...(limit ? { Limit: limit } : {}),
      }),
    );
    const commits = inStreamOrder((page.Items ?? []).map(itemToCommit));
    const last = page.LastEvaluatedKey ? unmarshall(page.LastEvaluatedKey) : undefined;
    return { commits, ...(last ? { next: { stream: String(last.pk), version: Number(last.sk) } } : {}) };
  }
}

/** Commits grouped by stream (streams in the order they first appear), each stream's in version order. */
function inStreamOrder(commits: readonly Commit[]): Commit[] {
  const byStream = new Map<string, Commit[]>();
  for (const commit of commits) {
    const list = byStream.get(commit.stream);
    if (list) list.push(commit);
    else byStream.set(commit.stream, [commit]);
  }
  return [...byStream.values()].flatMap((list) => list.sort((a, b) => a.version - b.version));
}

export function buildCommit(request: AppendRequest): Commit {
  const unsigned = {
    stream: request.stream,
    version: request.expectedVersion + 1,
    last: request.expectedVersion + request.events.length,
    events: request.events,
    commandId: request.commandId,
    recordedAt: request.recordedAt,
    prevHash: request.prevHash,
  };
  if (request.events.length === 0) throw new RangeError('a commit holds at least one event');
  return { ...unsigned, hash: commitHash(unsigned) };
}

/** The events table as DESIGN.md defines it; infra/ declares the same key schema for AWS. */
export async function ensureEventsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitActive(client, tableName);
}

export async function waitActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become active`);
}
