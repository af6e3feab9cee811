import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { callerId, runSessionCommand } from './session-facts.js';
import { AssessmentBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'The calling juror records acquis / non acquis per competence of one bloc for one candidate',
  params: SessionParams,
  body: AssessmentBody,
  response: { status: 201 },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    const today = ledgerDate(ctx.command.now);
    await runSessionCommand(deps, ctx, sessionId, ({ certification }) => ({ type: 'RecordAssessment', jurorId: callerId(ctx), ...body, today, certification }));
    return created({ sessionId, candidateId: body.candidateId, bloc: body.bloc });
  },
});

export const handler = lambdaHandler('sessions/record-assessment', route);
