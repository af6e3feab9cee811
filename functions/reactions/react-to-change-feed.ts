import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamHandler } from 'aws-lambda';
import { awsLedger } from '../composition/aws-ledger.js';
import { reactionWiring } from '../composition/wiring.js';
import { commitOfRecord } from '../projections/change-feed.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * DynamoDB Streams consumer running the ledger's reactions (functions/reactions/index.ts) on each commit: a
 * record whose reactions fail is reported in `batchItemFailures` and delivered again; every reaction is idempotent.
 */
export const handler: DynamoDBStreamHandler = async (event, context) => {
  const ledger = awsLedger(reactionWiring());
  ledger.deps.logger.addContext(context);
  return processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      const commit = commitOfRecord(record);
      if (commit) await ledger.react(commit);
    },
    processor,
    { context },
  );
};
