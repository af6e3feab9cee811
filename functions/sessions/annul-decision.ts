import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { callerId, centreFacts, runSessionCommand } from './session-facts.js';
import { AnnulmentBody, DeliberationParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'A DREETS agent annuls a final decision of a validated PV (appeal, correction); history is kept',
  params: DeliberationParams,
  body: AnnulmentBody,
  response: { status: 201 },
  async handle({ params: { sessionId, candidateId }, body, ctx }, deps) {
    await runSessionCommand(deps, ctx, sessionId, async ({ state }) => ({
      type: 'AnnulDecision',
      candidateId,
      ...body,
      annulledBy: callerId(ctx),
      actingRegion: ctx.caller!.region,
      centreRegion: (await centreFacts(deps, state.centreId))?.region,
    }));
    return created({ sessionId, candidateId, annulled: true });
  },
});

export const handler = lambdaHandler('sessions/annul-decision', route);
