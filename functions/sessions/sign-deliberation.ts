import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { deliberationAnswer } from './deliberation-answer.js';
import { callerId, runSessionCommand } from './session-facts.js';
import { DeliberationAnswer, DeliberationParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'The calling juror signs the proposed deliberation; final once every non-recused member has signed',
  params: DeliberationParams,
  response: { status: 201, schema: DeliberationAnswer },
  async handle({ params: { sessionId, candidateId }, ctx }, deps) {
    const result = await runSessionCommand(deps, ctx, sessionId, ({ certification }) => ({ type: 'SignDeliberation', jurorId: callerId(ctx), candidateId, certification }));
    return created(deliberationAnswer(result.state, candidateId));
  },
});

export const handler = lambdaHandler('sessions/sign-deliberation', route);
