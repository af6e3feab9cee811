import type { Context } from 'aws-lambda';
import { awsDeps } from '../composition/aws-ledger.js';
import type { WorkflowStep } from '../shared/workflow-step.js';

/** The Lambda entry of a workflow Task (invoked with payloadResponseOnly: the state input in, the result out). */
export const stepHandler = (step: WorkflowStep) => async (event: unknown, context?: Context) => {
  const deps = awsDeps();
  if (context) deps.logger.addContext(context);
  return step.run(deps, event);
};
