import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumer } from '../consumers.js';
import { acknowledge } from '../nag.js';
import type { LedgerFunction, LedgerFunctions } from './ledger-functions.js';

/** Stream delivery settings (DESIGN.md §3 "Projections"): a poison record is isolated, retried a bounded number of times, then parked. */
export const STREAM_DELIVERY = {
  retryAttempts: 10,
  maxRecordAge: Duration.hours(12),
  maxBatchingWindow: Duration.seconds(1),
} as const;

export interface ChangeFeedProps {
  events: dynamodb.ITable;
  consumers: readonly StreamConsumer[];
  functions: LedgerFunctions;
}

/**
 * The change feed in AWS: each consumer reads the events table's stream (inserts only: commits are never
 * modified) with partial batch responses, and records that still fail go, as metadata (shard and sequence
 * numbers), to the on-failure queue. Nothing is lost: the projector re-reads gaps from the table.
 */
export class ChangeFeed extends Construct {
  readonly onFailure: sqs.Queue;
  readonly consumers = new Map<string, LedgerFunction>();

  constructor(scope: Construct, id: string, props: ChangeFeedProps) {
    super(scope, id);
    this.onFailure = new sqs.Queue(this, 'OnFailure', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.onFailure,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter destination (on-failure destination of the stream event source mappings); it is alarmed on, not consumed.',
    );
    for (const consumer of props.consumers) {
      const fn = props.functions.get(consumer.module, { timeout: Duration.seconds(60) });
      fn.handler.addEventSource(
        new DynamoEventSource(props.events, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: consumer.batchSize ?? 100,
          ...STREAM_DELIVERY,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          parallelizationFactor: 1,
          onFailure: new SqsDlq(this.onFailure),
          // The projector also gets MODIFY and REMOVE records, which never happen to a commit unless someone
          // tampered with the table: it logs them for the CommitOverwritten alarm.
          ...(consumer.seesOverwrites ? {} : { filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })] }),
        }),
      );
      this.consumers.set(consumer.module, fn);
    }
  }
}
