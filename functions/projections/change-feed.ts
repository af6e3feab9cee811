import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { itemToCommit, type CommitItem } from '../adapters/dynamodb-event-store.js';
import type { Commit } from '../../events/envelope.js';

/** The commit carried by a DynamoDB Streams record (NEW_IMAGE), or undefined for anything but an insert. */
export function commitOfRecord(record: DynamoDBRecord): Commit | undefined {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  return itemToCommit(record.dynamodb.NewImage as unknown as Record<string, AttributeValue>);
}

/** The same record shape DynamoDB Streams delivers, built locally from a written commit item. */
export function recordOfItem(item: CommitItem, sequence: number): DynamoDBRecord {
  return {
    eventID: String(sequence),
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
    awsRegion: 'local',
    dynamodb: {
      Keys: { pk: item.pk, sk: item.sk } as never,
      NewImage: item as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/**
 * The local stand-in for DynamoDB Streams: the event store adapter hands it each committed item (or commit, in
 * memory), and it delivers them in order, one at a time. A delivery that throws is tried again (`attempts`, as
 * the Streams event source mapping retries a failed batch), then given up: the next commit of the stream fills
 * a projection's gap from the table, and the next start replays the reactions. `drain` waits until everything
 * handed over is delivered or given up.
 */
export class LocalChangeFeed<T> {
  private tail: Promise<void> = Promise.resolve();
  private failures = 0;
  private inFlight = 0;

  constructor(
    private readonly deliver: (record: T) => Promise<void>,
    private readonly options: { onError?: (error: unknown, attempt: number) => void; attempts?: number; retryDelayMs?: number } = {},
  ) {}

  publish(record: T): void {
    this.inFlight++;
    this.tail = this.tail.then(() => this.attempt(record, 1).finally(() => this.inFlight--));
  }

  private async attempt(record: T, attempt: number): Promise<void> {
    try {
      await this.deliver(record);
    } catch (error) {
      this.options.onError?.(error, attempt);
      if (attempt >= (this.options.attempts ?? 3)) {
        this.failures++;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? 50) * attempt));
      return this.attempt(record, attempt + 1);
    }
  }

  get pending(): boolean {
    return this.inFlight > 0;
  }

  /** Records given up after every attempt failed. */
  get failed(): number {
    return this.failures;
  }

  drain(): Promise<void> {
    return this.tail;
  }
}
