import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { refuse } from '../../domain/errors.js';
import { workflowStep } from '../shared/workflow-step.js';
import { pvOutcomes } from './session-outcomes.js';
import { stepHandler } from './workflow-lambda.js';

/** First state of the session workflow: the candidates and what the validated PV decided for each. */
export const step = workflowStep(z.object({ sessionId: Id }), async (deps, { sessionId }) => {
  const { rncp, decidedOn, candidates } = await pvOutcomes(deps, sessionId);
  if (!rncp || !decidedOn) throw refuse('pv-not-validated', `the PV of session ${sessionId} is not validated`);
  return { sessionId, rncp, decidedOn, candidates };
});

export const handler = stepHandler(step);
