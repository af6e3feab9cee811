import type { Context } from 'aws-lambda';
import { awsReadModelRebuild } from '../composition/read-model-rebuild.js';
import { MARGIN_MS, projectSegment, SegmentProgress } from './read-model-rebuild.js';

/** Replays pages of one scan segment of the events table into the target table, handing its cursor on before the timeout. */
export const handler = async (event: unknown, context?: Context) => {
  const rebuild = awsReadModelRebuild();
  const progress = SegmentProgress.parse(event);
  const projector = progress.phase === 'documents' ? rebuild.documentsInto(progress.target) : rebuild.followersInto(progress.target);
  return projectSegment(rebuild.store, projector, progress, () => (context ? context.getRemainingTimeInMillis() > MARGIN_MS : true));
};
