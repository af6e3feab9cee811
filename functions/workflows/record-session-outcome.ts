import { candidate, candidateStream } from '../../domain/candidate.js';
import { candidateFactsOf } from '../candidates/candidate-facts.js';
import { workflowStep } from '../shared/workflow-step.js';
import { certificationVersion } from './session-outcomes.js';
import { SessionItem, stepContext } from './session-item.js';
import { stepHandler } from './workflow-lambda.js';

/** Appends the candidate's CcpAcquired and, for a titre, TitreIssued. Idempotent: a retry appends nothing more. */
export const step = workflowStep(SessionItem, async (deps, item) => {
  const version = await certificationVersion(deps, item.rncp);
  const { candidateId, outcome, blocs, enrolment, titreRoute } = item.candidate;
  const usableBlocs = (await candidateFactsOf(deps, candidateId, item.rncp, item.decidedOn))?.usableBlocs ?? [];
  const result = await deps.commands.handle(
    candidate,
    candidateStream(candidateId),
    { type: 'RecordSessionOutcome', candidateId, sessionId: item.sessionId, version, outcome, blocs, decidedOn: item.decidedOn, enrolment, titreRoute, usableBlocs },
    stepContext(item, 'outcome', deps.clock.now()),
  );
  return { appended: result.events.map((e) => e.type) };
});

export const handler = stepHandler(step);
