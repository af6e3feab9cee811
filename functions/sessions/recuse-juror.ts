import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { callerId, runSessionCommand } from './session-facts.js';
import { RecusalBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'The calling juror stands aside for one candidate they know; the others must still make a jury',
  params: SessionParams,
  body: RecusalBody,
  response: { status: 201 },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    await runSessionCommand(deps, ctx, sessionId, ({ certification }) => ({ type: 'RecuseJuror', jurorId: callerId(ctx), ...body, certification }));
    return created({ sessionId, candidateId: body.candidateId, jurorId: callerId(ctx) });
  },
});

export const handler = lambdaHandler('sessions/recuse-juror', route);
