import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamHandler } from 'aws-lambda';
import { commitOfRecord } from '../projections/change-feed.js';
import { awsDeps } from '../shared/aws-deps.js';
import { startCapitalisation } from './capitalisation-trigger.js';
import { compensateAnnulment } from './decision-annulment.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** DynamoDB Streams consumer that starts workflows in reaction to commits (idempotent execution names). */
export const handler: DynamoDBStreamHandler = async (event, context) =>
  processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      const commit = commitOfRecord(record);
      if (!commit) return;
      await startCapitalisation(awsDeps().workflows, commit);
      await compensateAnnulment(awsDeps(), commit);
    },
    processor,
    { context },
  );
