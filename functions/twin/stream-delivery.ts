import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { InvokeResult } from './function-runner.js';
import type { Resolver } from './resolver.js';
import type { EventSourceMapping } from './template.js';

/**
 * DynamoDB Streams for the twin (dynalite has none): the gateway appends a record for each item a write
 * changes in a table whose template asks for a stream, and each event source mapping of the template polls
 * it as Lambda does: filter, batch, invoke, partial batch response, bisect on error, bounded retries, then
 * the on-failure destination.
 */

type AttributeMap = Record<string, unknown>;

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: AttributeMap;
    NewImage?: AttributeMap;
    OldImage?: AttributeMap;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
}

export interface TableStreamSpec {
  tableName: string;
  streamArn: string;
  viewType: string;
  keyNames: string[];
  region: string;
}

const sameImage = (a: AttributeMap | undefined, b: AttributeMap | undefined) => {
  const canonical = (m: AttributeMap | undefined) =>
    m
      ? JSON.stringify(
          Object.keys(m)
            .sort()
            .map((k) => [k, m[k]]),
        )
      : '';
  return canonical(a) === canonical(b);
};

/** One stream with one shard: the twin keeps order per table, which is at least per item as on AWS. */
export class TableStream {
  private sequence = 0n;
  private readonly listeners = new Set<(record: StreamRecord) => void>();
  readonly shardId = `shardId-00000001-${randomUUID().replaceAll('-', '').slice(0, 8)}`;

  constructor(readonly spec: TableStreamSpec) {}

  subscribe(listener: (record: StreamRecord) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The change of one item; nothing when the write left it as it was (DynamoDB writes no record then). */
  append(oldImage: AttributeMap | undefined, newImage: AttributeMap | undefined): StreamRecord | undefined {
    if (sameImage(oldImage, newImage)) return undefined;
    const image = newImage ?? oldImage!;
    const Keys = Object.fromEntries(this.spec.keyNames.map((k) => [k, image[k]]));
    const view = this.spec.viewType;
    const record: StreamRecord = {
      eventID: randomUUID().replaceAll('-', ''),
      eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.spec.region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys,
        ...(newImage && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { NewImage: newImage } : {}),
        ...(oldImage && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { OldImage: oldImage } : {}),
        SequenceNumber: String(++this.sequence).padStart(21, '0'),
        SizeBytes: Buffer.byteLength(JSON.stringify(image)),
        StreamViewType: view,
      },
      eventSourceARN: this.spec.streamArn,
    };
    for (const l of this.listeners) l(record);
    return record;
  }
}

/**
 * EventBridge-style filter patterns as Lambda applies them to records: a list of allowed values, `prefix`,
 * `anything-but`, `exists`, `numeric` (= only), nested objects. Filters are ORed.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(value) ? value : [value];
    return pattern.some((p) => {
      if (p && typeof p === 'object') {
        const rule = p as Record<string, unknown>;
        if ('exists' in rule) return (value !== undefined) === rule.exists;
        if ('prefix' in rule) return values.some((v) => typeof v === 'string' && v.startsWith(String(rule.prefix)));
        if ('anything-but' in rule) return values.every((v) => ![rule['anything-but']].flat().includes(v));
        if ('numeric' in rule) {
          const [op, n] = rule.numeric as [string, number];
          return op === '=' && values.some((v) => Number(v) === n);
        }
        return false;
      }
      return values.some((v) => v === p);
    });
  }
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, p]) => matchesPattern(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}

export interface MappingSettings {
  functionArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  /** -1: until the record expires. */
  maximumRetryAttempts: number;
  /** -1: never. */
  maximumRecordAgeInSeconds: number;
  reportBatchItemFailures: boolean;
  /** JSON texts, as in FilterCriteria. */
  filterPatterns: string[];
  /** Where an on-failure destination's messages are appended (the twin has no SQS), if the mapping has one. */
  onFailureFile: string | undefined;
  onFailureArn: string | undefined;
}

const partialResponse = z.object({ batchItemFailures: z.array(z.object({ itemIdentifier: z.unknown() })).optional() }).loose();

/**
 * Why a batch fails: the index of the first record to retry, or 0 for all of it. Lambda treats a missing,
 * empty or unknown itemIdentifier as a failure of the whole batch.
 */
function firstFailure(batch: StreamRecord[], result: InvokeResult, reportBatchItemFailures: boolean): number | undefined {
  if (!result.ok) return 0;
  if (!reportBatchItemFailures) return undefined;
  const parsed = partialResponse.safeParse(result.result);
  if (!parsed.success) return result.result === null || result.result === undefined ? undefined : 0;
  const failures = parsed.data.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  let first = batch.length;
  for (const f of failures) {
    const i = batch.findIndex((r) => r.dynamodb.SequenceNumber === f.itemIdentifier);
    if (i < 0) return 0;
    first = Math.min(first, i);
  }
  return first;
}

export class StreamConsumer {
  private readonly queue: StreamRecord[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly stream: TableStream,
    private readonly settings: MappingSettings,
    private readonly invoke: (event: unknown) => Promise<InvokeResult>,
    private readonly options: { retryDelayMs?: number; log?: (line: string) => void } = {},
  ) {
    const filters = settings.filterPatterns.map((p) => JSON.parse(p) as unknown);
    this.unsubscribe = stream.subscribe((record) => {
      // Lambda drops records no filter matches before batching; they are never delivered.
      if (filters.length && !filters.some((f) => matchesPattern(f, record))) return;
      this.queue.push(record);
      this.kick();
    });
  }

  private kick() {
    if (this.running || this.stopped) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length && !this.stopped) this.kick();
    });
  }

  /** Resolves once every record received so far was delivered or sent to the on-failure destination. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop() {
    this.stopped = true;
    this.unsubscribe();
  }

  private async drain() {
    while (this.queue.length && !this.stopped) {
      // Lambda gathers records for the batching window, or until the batch is full.
      const until = Date.now() + this.settings.maximumBatchingWindowInSeconds * 1000;
      while (this.queue.length < this.settings.batchSize && Date.now() < until && !this.stopped) await sleep(Math.min(20, until - Date.now()));
      const batch = this.queue.splice(0, this.settings.batchSize);
      await this.deliver(batch);
    }
  }

  private expired(record: StreamRecord) {
    const age = this.settings.maximumRecordAgeInSeconds;
    return age >= 0 && Date.now() / 1000 - record.dynamodb.ApproximateCreationDateTime > age;
  }

  private async deliver(initial: StreamRecord[]): Promise<void> {
    let batch = initial;
    let attempts = 0;
    for (;;) {
      const fresh = batch.filter((r) => !this.expired(r));
      if (fresh.length < batch.length)
        this.discard(
          batch.filter((r) => this.expired(r)),
          'RecordAgeExceeded',
          attempts,
          undefined,
        );
      batch = fresh;
      if (!batch.length || this.stopped) return;
      const result = await this.invoke({ Records: batch });
      const failedFrom = firstFailure(batch, result, this.settings.reportBatchItemFailures);
      if (failedFrom === undefined) return;
      attempts++;
      this.options.log?.(`stream batch of ${batch.length} failed at ${failedFrom} (attempt ${attempts}): ${result.ok ? 'partial batch response' : result.error.errorMessage}`);
      if (!result.ok && this.settings.bisectBatchOnFunctionError && batch.length > 1) {
        // Bisecting does not count against the retry quota: each half starts afresh.
        const half = Math.ceil(batch.length / 2);
        await this.deliver(batch.slice(0, half));
        await this.deliver(batch.slice(half));
        return;
      }
      batch = batch.slice(failedFrom);
      const limit = this.settings.maximumRetryAttempts;
      if (limit >= 0 && attempts > limit) {
        this.discard(batch, 'RetryAttemptsExhausted', attempts, result);
        return;
      }
      await sleep(this.options.retryDelayMs ?? 200);
    }
  }

  /** The on-failure destination's message, in the shape Lambda sends it for a stream batch. */
  private discard(batch: StreamRecord[], condition: string, attempts: number, result: InvokeResult | undefined) {
    this.options.log?.(`stream batch of ${batch.length} discarded: ${condition}`);
    if (!this.settings.onFailureFile) return;
    const message = {
      requestContext: { requestId: randomUUID(), functionArn: this.settings.functionArn, condition, approximateInvokeCount: attempts },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: result && !result.ok ? 'Unhandled' : undefined },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: this.stream.shardId,
        startSequenceNumber: batch[0]!.dynamodb.SequenceNumber,
        endSequenceNumber: batch.at(-1)!.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: new Date(batch[0]!.dynamodb.ApproximateCreationDateTime * 1000).toISOString(),
        approximateArrivalOfLastRecord: new Date(batch.at(-1)!.dynamodb.ApproximateCreationDateTime * 1000).toISOString(),
        batchSize: batch.length,
        streamArn: this.stream.spec.streamArn,
      },
      destination: this.settings.onFailureArn,
    };
    mkdirSync(dirname(this.settings.onFailureFile), { recursive: true });
    appendFileSync(this.settings.onFailureFile, `${JSON.stringify(message)}\n`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mapping of the template as the consumer runs it; on-failure messages go to `onFailureFile`. */
export function mappingSettingsOf(mapping: EventSourceMapping, resolver: Resolver, onFailureFile: string): MappingSettings {
  const destination = mapping.onFailureDestination === undefined ? undefined : resolver.resolveString(mapping.onFailureDestination, `${mapping.logicalId} on-failure destination`);
  return {
    functionArn: resolver.getAtt(mapping.functionLogicalId!, 'Arn'),
    batchSize: mapping.batchSize,
    maximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
    maximumRetryAttempts: mapping.maximumRetryAttempts,
    maximumRecordAgeInSeconds: mapping.maximumRecordAgeInSeconds,
    reportBatchItemFailures: mapping.functionResponseTypes.includes('ReportBatchItemFailures'),
    filterPatterns: mapping.filterPatterns.map((p) => (typeof p === 'string' ? p : JSON.stringify(resolver.resolve(p)))),
    onFailureFile: destination ? onFailureFile : undefined,
    onFailureArn: destination,
  };
}
