import { frenchDate } from '../../domain/french-words.js';
import { resitUntil, TRAINING_ROUTES } from '../../domain/session.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { workflowStep } from '../shared/workflow-step.js';
import { SessionItem, stepContext } from './session-item.js';
import { stepHandler } from './workflow-lambda.js';

const messages = {
  titre: (rncp: string) => `Félicitations : le jury vous a délivré le titre professionnel ${rncp}. Votre certificat est disponible dans votre espace.`,
  ccp: (rncp: string, blocs: string[]) =>
    blocs.length > 1
      ? `Le jury vous a délivré les blocs ${blocs.join(', ')} du titre ${rncp}. Ils restent capitalisables : consultez votre livret.`
      : `Le jury vous a délivré le bloc ${blocs.join(', ')} du titre ${rncp}. Il reste capitalisable : consultez votre livret.`,
  /** A training-route candidate may sit the missing blocs again without new training until `resitUntil` (DESIGN.md). */
  ajourne: (rncp: string, resit?: string) =>
    resit
      ? `Le jury a ajourné votre candidature au titre ${rncp}. Vous pouvez vous présenter de nouveau aux blocs manquants, sans refaire de formation, jusqu’au ${frenchDate(resit)} : votre centre vous indiquera la prochaine session.`
      : `Le jury a ajourné votre candidature au titre ${rncp}. Votre centre vous indiquera la prochaine session à laquelle vous présenter.`,
  absent: (rncp: string) => `Vous avez été déclaré(e) absent(e) à la session du titre ${rncp}.`,
  exclu: (rncp: string) => `Le jury vous a exclu(e) de la session du titre ${rncp} pour fraude ou tentative de fraude ; aucun bloc n’y est acquis.`,
};

/** What the candidate is told of the PV's decision on them. */
export function sessionResultMessage(item: SessionItem): string {
  const { outcome, blocs } = item.candidate;
  const resit = TRAINING_ROUTES.includes(item.candidate.enrolment.route) ? resitUntil(item.decidedOn) : undefined;
  return outcome === 'ccp' ? messages.ccp(item.rncp, blocs) : outcome === 'ajourne' ? messages.ajourne(item.rncp, resit) : messages[outcome](item.rncp);
}

/** Tells the candidate what the validated PV decided (the outbox, and email in AWS). */
export const step = workflowStep(SessionItem, async (deps, item) => {
  const { candidateId } = item.candidate;
  const message = sessionResultMessage(item);
  await deps.commands.handle(
    candidate,
    candidateStream(candidateId),
    { type: 'Notify', candidateId, notificationKey: `session-results:${item.sessionId}`, topic: 'session-results', message, rncp: item.rncp },
    stepContext(item, 'notify', deps.clock.now()),
  );
  return { notified: true };
});

export const handler = stepHandler(step);
