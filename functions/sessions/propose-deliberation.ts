import { keepDecisionText } from '../shared/decision-notes.js';
import { lambdaHandler } from '../shared/lambda.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, defineRoute } from '../shared/route.js';
import { candidateFactsOf } from '../candidates/candidate-facts.js';
import { deliberationAnswer } from './deliberation-answer.js';
import { callerId, runSessionCommand } from './session-facts.js';
import { DeliberationAnswer, DeliberationBody, SessionParams } from './session-schemas.js';

export const route = defineRoute({
  summary: 'The calling juror proposes the decision for a candidate and signs it; 409 when one is already proposed',
  params: SessionParams,
  body: DeliberationBody,
  response: { status: 201, schema: DeliberationAnswer },
  async handle({ params: { sessionId }, body, ctx }, deps) {
    const today = ledgerDate(ctx.command.now);
    const { assessmentsOverridden: reason, ...proposal } = body;
    // The jury's reason may speak of the candidate: kept in their vault entry, the event carries the note.
    const overridden = reason ? { assessmentsOverridden: { note: await keepDecisionText(deps.vault, body.candidateId, `assessments-overridden:${sessionId}`, { reason }) } } : {};
    const result = await runSessionCommand(deps, ctx, sessionId, async ({ certification }) => {
      const candidate = await candidateFactsOf(deps, body.candidateId, certification.rncp, today);
      return { type: 'ProposeDeliberation', jurorId: callerId(ctx), ...proposal, ...overridden, usableBlocs: candidate?.usableBlocs ?? [], today, certification };
    });
    return created(deliberationAnswer(result.state, body.candidateId));
  },
});

export const handler = lambdaHandler('sessions/propose-deliberation', route);
