import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamHandler } from 'aws-lambda';
import { awsDeps } from '../shared/aws-deps.js';
import { commitOfRecord } from './change-feed.js';
import { projections } from './index.js';
import { Projector } from './projector.js';

let projector: Projector | undefined;
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Applies one change-feed record; a throw marks only this record failed (partial batch response). */
export const projectRecord = (target: Projector) => async (record: DynamoDBRecord) => {
  const commit = commitOfRecord(record);
  if (commit) await target.apply(commit);
};

/** DynamoDB Streams consumer (NEW_IMAGE): bisect-on-error and the on-failure queue are set in infra/. */
export const handler: DynamoDBStreamHandler = async (event, context) => {
  const deps = awsDeps();
  projector ??= new Projector(deps.store, deps.readModels, projections);
  return processPartialResponse(event, projectRecord(projector), processor, { context });
};
