import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { candidateFactsOf } from '../candidates/candidate-facts.js';
import { callerId, runSessionCommand } from './session-facts.js';
import { EnrolmentAnswer, EnrolmentBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary:
    'Enrol a registered candidate in a session, by an access route the version allows (blocs default to all of the session’s; at a titre session, only those the candidate lacks)',
  params: SessionParams,
  body: EnrolmentBody,
  response: { status: 201, schema: EnrolmentAnswer },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    const today = ledgerDate(ctx.command.now);
    const result = await runSessionCommand(deps, ctx, sessionId, async ({ certification }) => ({
      type: 'EnrolCandidate',
      actingCentre: callerId(ctx),
      ...body,
      candidate: await candidateFactsOf(deps, body.candidateId, certification.rncp, today),
      today,
      certification,
    }));
    const enrolment = result.state.status === 'unknown' ? undefined : result.state.enrolments[body.candidateId];
    return created({ sessionId, candidateId: body.candidateId, route: body.route, blocs: enrolment?.blocs ?? [] });
  },
});

export const handler = lambdaHandler('sessions/enrol-candidate', route);
