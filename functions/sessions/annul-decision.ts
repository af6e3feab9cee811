import { keepDecisionText } from '../shared/decision-notes.js';
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
    // The reason and legal basis may name the candidate: kept in their vault entry, the event carries the note.
    const note = await keepDecisionText(deps.vault, candidateId, `annulment:${sessionId}`, body);
    await runSessionCommand(deps, ctx, sessionId, async ({ state }) => ({
      type: 'AnnulDecision',
      candidateId,
      note,
      annulledBy: callerId(ctx),
      actingRegion: ctx.caller!.region,
      centreRegion: (await centreFacts(deps, state.centreId))?.region,
    }));
    return created({ sessionId, candidateId, annulled: true });
  },
});

export const handler = lambdaHandler('sessions/annul-decision', route);
