import { awsDeps } from '../shared/aws-deps.js';
import type { WorkflowStep } from '../shared/workflow-step.js';

/** The Lambda entry of a workflow Task (invoked with payloadResponseOnly: the state input in, the result out). */
export const stepHandler = (step: WorkflowStep) => async (event: unknown) => step.run(awsDeps(), event);
