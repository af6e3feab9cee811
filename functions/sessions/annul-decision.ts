import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { callerId, runSessionCommand } from './session-facts.js';
import { AnnulmentBody, DeliberationParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'A DREETS agent annuls a final decision of a validated PV (appeal, correction); history is kept',
  params: DeliberationParams,
  body: AnnulmentBody,
  response: { status: 201 },
  async handle({ params: { sessionId, candidateId }, body, ctx }, deps) {
    await runSessionCommand(deps, ctx, sessionId, () => ({ type: 'AnnulDecision', candidateId, ...body, annulledBy: callerId(ctx) }));
    return created({ sessionId, candidateId, annulled: true });
  },
});

export const handler = lambdaHandler('sessions/annul-decision', route);
