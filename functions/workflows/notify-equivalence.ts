import { candidate, candidateStream } from '../../domain/candidate.js';
import { refuse } from '../../domain/errors.js';
import { recordedEvents } from '../shared/command-handler.js';
import { workflowStep } from '../shared/workflow-step.js';
import { EquivalenceItem, equivalenceStepContext } from './equivalence-item.js';
import { stepHandler } from './workflow-lambda.js';

/** Tells the candidate what the équivalence gave them, once its certificates can be verified (the outbox, and email in AWS). */
export const step = workflowStep(EquivalenceItem, async (deps, item) => {
  const { candidateId, decisionId } = item;
  const events = (await deps.store.read(candidateStream(candidateId))).commits.flatMap(recordedEvents);
  const decision = events.find((e) => e.type === 'EquivalenceGranted' && e.data.decisionId === decisionId);
  if (decision?.type !== 'EquivalenceGranted') throw refuse('equivalence-not-found', `no équivalence ${decisionId} for candidate ${candidateId}`);
  const { rncp, blocs, titre } = decision.data;
  const what = titre ? `le titre professionnel ${rncp}` : `${blocs.length > 1 ? 'les blocs' : 'le bloc'} ${blocs.join(', ')} du titre ${rncp}`;
  const message = `La DREETS vous a accordé par équivalence ${what}. ${titre ? 'Votre certificat est disponible' : 'Vos certificats sont disponibles'} dans votre espace.`;
  await deps.commands.handle(
    candidate,
    candidateStream(candidateId),
    { type: 'Notify', candidateId, notificationKey: `equivalence:${decisionId}`, topic: 'equivalence', message, rncp },
    equivalenceStepContext(item, 'notify', deps.clock.now()),
  );
  return { notified: true };
});

export const handler = stepHandler(step);
