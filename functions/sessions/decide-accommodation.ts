import * as z from '../../events/zod.js';
import { Id } from '../../events/define-event.js';
import { lambdaHandler } from '../shared/lambda.js';
import { created, defineRoute } from '../shared/route.js';
import { centreFacts, runSessionCommand } from './session-facts.js';
import { SessionParams, Text } from './session-schemas.js';

export const route = defineRoute({
  summary: 'A DREETS agent records the accommodations decided for a disabled candidate of the session; the measures go to the candidate’s vault entry',
  params: SessionParams,
  body: z.object({ candidateId: Id, measures: Text }),
  response: { status: 201 },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    await runSessionCommand(deps, ctx, sessionId, async ({ state }) => ({
      type: 'DecideAccommodation',
      candidateId: body.candidateId,
      decidedBy: ctx.command.actor,
      actingRegion: ctx.caller!.region,
      centreRegion: (await centreFacts(deps, state.centreId))?.region,
    }));
    // Health data (RGPD art. 9): in the person's vault, erased with them.
    await deps.vault.update(body.candidateId, (person) => ({ ...person, notes: { ...person.notes, [`accommodation:${sessionId}`]: body.measures } }));
    return created({ sessionId, candidateId: body.candidateId });
  },
});

export const handler = lambdaHandler('sessions/decide-accommodation', route);
