import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, ok } from '../shared/route.js';
import { callerId, jurorFacts, runSessionCommand } from './session-facts.js';
import { JuryAnswer, JuryBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'Set the whole jury of a session (habilitated jurors, size and independence as the version requires); with candidateId, add jurors for that candidate after recusals',
  params: SessionParams,
  body: JuryBody,
  response: { status: 200, schema: JuryAnswer },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    const { candidateId } = body;
    if (candidateId) {
      const { state } = await runSessionCommand(deps, ctx, sessionId, async ({ certification }) => ({
        type: 'AddJurorsForCandidate',
        actingCentre: callerId(ctx),
        candidateId,
        jurorIds: body.members,
        jurors: await jurorFacts(deps, body.members),
        certification,
      }));
      const added = state.status === 'unknown' ? [] : (state.added[candidateId] ?? []);
      return ok({ sessionId, members: added });
    }
    const result = await runSessionCommand(deps, ctx, sessionId, async ({ certification }) => ({
      type: 'ConstituteJury',
      actingCentre: callerId(ctx),
      members: body.members,
      jurors: await jurorFacts(deps, body.members),
      certification,
    }));
    const jury = result.state.status === 'unknown' ? [] : result.state.jury;
    return ok({ sessionId, members: jury });
  },
});

export const handler = lambdaHandler('sessions/constitute-jury', route);
