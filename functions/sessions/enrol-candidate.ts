import { candidate, candidateStream } from '../../domain/candidate.js';
import { session, sessionStream, type SessionCommand } from '../../domain/session.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { candidateFactsOf } from '../candidates/candidate-facts.js';
import { callerId, sessionFacts } from './session-facts.js';
import { EnrolmentAnswer, EnrolmentBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary:
    'Enrol a registered candidate in a session, by an access route the version allows (blocs default to all of the session’s; at a titre session, only those the candidate lacks)',
  params: SessionParams,
  body: EnrolmentBody,
  response: { status: 201, schema: EnrolmentAnswer },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    const today = ledgerDate(ctx.command.now);
    const { state, certification } = await sessionFacts(deps, sessionId);
    const command: SessionCommand = {
      type: 'EnrolCandidate',
      actingCentre: callerId(ctx),
      ...body,
      candidate: await candidateFactsOf(deps, body.candidateId, certification.rncp, today),
      today,
      certification,
    };
    // The session's rules first (nothing written), then the seat on the candidate's stream for a titre session: two
    // enrolments of one candidate racing on two titre sessions of a version meet there, and one of them is refused.
    session.decide(command, state);
    const seat = { candidateId: body.candidateId, rncp: certification.rncp, sessionId };
    const reserved =
      state.kind === 'titre'
        ? await deps.commands.handle(
            candidate,
            candidateStream(body.candidateId),
            { type: 'ReserveTitreSitting', ...seat },
            { ...ctx.command, commandId: `${ctx.command.commandId}#seat` },
          )
        : undefined;
    const result = await deps.commands.handle(session, sessionStream(sessionId), command, ctx.command).catch(async (error: unknown) => {
      // The session changed meanwhile and refused: the seat this request took is given back (an earlier one is kept).
      if (reserved?.events.length && !reserved.duplicate) {
        const release = { type: 'ReleaseTitreSitting' as const, ...seat };
        await deps.commands.handle(candidate, candidateStream(body.candidateId), release, { ...ctx.command, commandId: `${ctx.command.commandId}#seat-release` });
      }
      throw error;
    });
    const enrolment = result.state.status === 'unknown' ? undefined : result.state.enrolments[body.candidateId];
    return created({ sessionId, candidateId: body.candidateId, route: body.route, blocs: enrolment?.blocs ?? [] });
  },
});

export const handler = lambdaHandler('sessions/enrol-candidate', route);
