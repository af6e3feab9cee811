import { candidate, candidateStream } from '../../domain/candidate.js';
import { workflowStep } from '../shared/workflow-step.js';
import { SessionItem, stepContext } from './session-item.js';
import { stepHandler } from './workflow-lambda.js';

const messages = {
  titre: (rncp: string) => `Félicitations : le jury vous a délivré le titre professionnel ${rncp}. Votre certificat est disponible dans votre espace.`,
  ccp: (rncp: string, blocs: string[]) =>
    `Le jury vous a délivré ${blocs.length > 1 ? 'les blocs' : 'le bloc'} ${blocs.join(', ')} du titre ${rncp}. Ils restent capitalisables : consultez votre livret.`,
  ajourne: (rncp: string) => `Le jury a ajourné votre candidature au titre ${rncp}. Votre centre vous indiquera les possibilités de vous représenter.`,
  absent: (rncp: string) => `Vous avez été déclaré(e) absent(e) à la session du titre ${rncp}.`,
  exclu: (rncp: string) => `Le jury vous a exclu(e) de la session du titre ${rncp} pour fraude ou tentative de fraude ; aucun bloc n’y est acquis.`,
};

/** Tells the candidate what the validated PV decided (the outbox, and email in AWS). */
export const step = workflowStep(SessionItem, async (deps, item) => {
  const { candidateId, outcome, blocs } = item.candidate;
  const message = outcome === 'ccp' ? messages.ccp(item.rncp, blocs) : messages[outcome](item.rncp);
  await deps.commands.handle(
    candidate,
    candidateStream(candidateId),
    { type: 'Notify', candidateId, notificationKey: `session-results:${item.sessionId}`, topic: 'session-results', message, rncp: item.rncp },
    stepContext(item, 'notify', deps.clock.now()),
  );
  return { notified: true };
});

export const handler = stepHandler(step);
