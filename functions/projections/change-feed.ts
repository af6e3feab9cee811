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
 * The local stand-in for DynamoDB Streams: the event store adapter hands it each committed item, and it
 * delivers them in order, one at a time, to the projector. `drain` waits until everything handed over is applied.
 */
export class LocalChangeFeed {
  private sequence = 0;
  private tail: Promise<void> = Promise.resolve();
  private failures = 0;
  private inFlight = 0;

  constructor(
    private readonly deliver: (record: DynamoDBRecord) => Promise<void>,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  publish(item: CommitItem): void {
    const record = recordOfItem(item, ++this.sequence);
    this.inFlight++;
    this.tail = this.tail.then(() =>
      this.deliver(record)
        .catch((error) => {
          // The next record of the stream fills the gap from the table, as in AWS after a failed batch.
          this.failures++;
          this.onError(error);
        })
        .finally(() => this.inFlight--),
    );
  }

  get pending(): boolean {
    return this.inFlight > 0;
  }

  get failed(): number {
    return this.failures;
  }

  drain(): Promise<void> {
    return this.tail;
  }
}
