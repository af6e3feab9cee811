import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, DynamoDBStreamHandler } from 'aws-lambda';
import { awsLedger } from '../composition/aws-ledger.js';
import { projectionWiring } from '../composition/wiring.js';
import { commitOfRecord } from './change-feed.js';
import type { Projector } from './projector.js';

/** The word the CommitOverwritten alarm's metric filter looks for (infra/constructs/ledger-alarms.ts). */
export const COMMIT_OVERWRITTEN = 'ledger-commit-overwritten';

/**
 * The record handler of one batch: records of different streams are applied in parallel, those of one stream
 * one after the other in delivery order (a failed record does not hold back the next one, which fills the gap
 * from the table if it can, or fails too).
 */
export const projectRecords = (target: Projector, logger?: Pick<Logger, 'error'>) => {
  const tails = new Map<string, Promise<unknown>>();
  return async (record: DynamoDBRecord) => {
    if (record.eventName === 'MODIFY' || record.eventName === 'REMOVE') {
      // A commit is never changed: someone tampered with the events table. Logged for the alarm (and verify-ledger
      // names the commit); the read models keep what the commit said when it was appended.
      logger?.error(COMMIT_OVERWRITTEN, { eventName: record.eventName, keys: record.dynamodb?.Keys });
      return;
    }
    const commit = commitOfRecord(record);
    if (!commit) return;
    const mine = (tails.get(commit.stream) ?? Promise.resolve()).catch(() => undefined).then(() => target.apply(commit));
    tails.set(commit.stream, mine);
    await mine;
  };
};

/** One batch through Powertools: the failed records' sequence numbers go back as `batchItemFailures`. */
export const projectBatch = (target: Projector, event: DynamoDBStreamEvent, context?: Context, logger?: Pick<Logger, 'error'>) =>
  processPartialResponse(event, projectRecords(target, logger), new BatchProcessor(EventType.DynamoDBStreams), context ? { context } : {});

/** DynamoDB Streams consumer (NEW_IMAGE): bisect-on-error and the on-failure queue are set in infra/. */
export const handler: DynamoDBStreamHandler = async (event, context) => {
  const ledger = awsLedger(projectionWiring());
  ledger.deps.logger.addContext(context);
  return projectBatch(ledger.projector, event, context, ledger.deps.logger);
};
