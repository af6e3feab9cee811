import { candidate, candidateStream } from '../../domain/candidate.js';
import { session, sessionStream } from '../../domain/session.js';
import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute, noContent } from '../shared/route.js';
import { callerId, sessionFacts } from './session-facts.js';
import { DeliberationParams } from './session-schemas.js';

export const route = defineRoute({
  summary:
    'Withdraws a candidate from a session before the jury assessed them and before the PV (they gave up, or the centre abandons the session); at a titre session their seat is given back, so they may enrol in another one',
  params: DeliberationParams,
  response: { status: 204 },
  async handle({ params: { sessionId, candidateId }, ctx }, deps) {
    const { state } = await sessionFacts(deps, sessionId);
    const withdrawn = await deps.commands.handle(session, sessionStream(sessionId), { type: 'WithdrawCandidate', actingCentre: callerId(ctx), candidateId }, ctx.command);
    // The seat on the candidate's stream (enrol-candidate.ts) is given back after the withdrawal, also when this is
    // the withdrawal retried after a failure between the two writes (a duplicate), never for a candidate not enrolled.
    if (state.kind === 'titre' && (withdrawn.events.length || withdrawn.duplicate)) {
      await deps.commands.handle(
        candidate,
        candidateStream(candidateId),
        { type: 'ReleaseTitreSitting', candidateId, rncp: state.rncp, sessionId },
        { ...ctx.command, commandId: `${ctx.command.commandId}#seat-release` },
      );
    }
    return noContent();
  },
});

export const handler = lambdaHandler('sessions/withdraw-candidate', route);
