import type { Context } from 'aws-lambda';
import { awsReadModelRebuild } from '../composition/read-model-rebuild.js';
import { ClearProgress, clearSegment, MARGIN_MS, RebuildRefusedError } from './read-model-rebuild.js';

/** Empties pages of one segment of the idle read-model table, handing its cursor on before the Lambda's timeout. */
export const handler = async (event: unknown, context?: Context) => {
  const rebuild = awsReadModelRebuild();
  const progress = ClearProgress.parse(event);
  // Checked again here, not only in the plan: an execution started by hand at this state must not empty the served table.
  if (progress.target === rebuild.active) throw new RebuildRefusedError(`the ${progress.target} table is the one the functions serve from`);
  return clearSegment(rebuild.table(progress.target), progress, () => (context ? context.getRemainingTimeInMillis() > MARGIN_MS : true));
};
