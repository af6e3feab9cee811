import { candidateStream } from '../../domain/candidate.js';
import { refuse } from '../../domain/errors.js';
import { issueWantedCertificates } from '../certificates/issue-certificate.js';
import { recordedEvents } from '../shared/command-handler.js';
import { workflowStep } from '../shared/workflow-step.js';
import { EquivalenceItem, equivalenceStepContext } from './equivalence-item.js';
import { stepHandler } from './workflow-lambda.js';

/**
 * The certificates an équivalence decision gives, as a PV's outcome gives them: the titre's (every bloc of the
 * version) when it granted the titre, otherwise one CCP certificate per bloc it granted (not those the candidate
 * already held). Each says its route, équivalence. Codes are reserved on the candidate's stream under keys of the
 * decision, so a retried step or a redelivered record issues the same certificates again, never new ones.
 */
export const step = workflowStep(EquivalenceItem, async (deps, item) => {
  const { candidateId, decisionId } = item;
  const events = (await deps.store.read(candidateStream(candidateId))).commits.flatMap(recordedEvents);
  const decision = events.find((e) => e.type === 'EquivalenceGranted' && e.data.decisionId === decisionId);
  if (decision?.type !== 'EquivalenceGranted') throw refuse('equivalence-not-found', `no équivalence ${decisionId} for candidate ${candidateId}`);
  const { rncp, decidedOn } = decision.data;
  const titre = events.find((e) => e.type === 'TitreIssued' && e.data.sessionId === decisionId && e.data.rncp === rncp);
  const granted = events.flatMap((e) => (e.type === 'CcpAcquired' && e.data.via.kind === 'equivalence' && e.data.via.decision === decisionId ? [e.data.bloc] : []));
  const wanted =
    titre?.type === 'TitreIssued'
      ? [{ kind: 'titre' as const, blocs: titre.data.blocs, key: `${decisionId}:titre:${rncp}` }]
      : granted.map((bloc) => ({ kind: 'ccp' as const, blocs: [bloc], key: `${decisionId}:ccp:${bloc}` }));
  return issueWantedCertificates(deps, wanted, { candidateId, rncp, issuedOn: decidedOn, route: 'equivalence' }, (what) => equivalenceStepContext(item, what, deps.clock.now()));
});

export const handler = stepHandler(step);
