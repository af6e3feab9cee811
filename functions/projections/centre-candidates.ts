import { partitionOf } from '../ports/read-model-store.js';
import type { DocumentProjection } from './projection.js';

/** A candidate as their centre lists them (GET /centres/{centreId}/candidates): the id; names are in the vault. */
export interface CentreCandidateLine {
  candidateId: string;
  registeredBy: string;
}

/** The partition of one centre's candidates. */
export const centreCandidatesPartition = (centreId: string) => partitionOf('centre-candidates', centreId);

/**
 * Candidates by centre: a partition per centre (`centre-candidates#<centreId>`) with a line per candidate it
 * registered, from the candidate's own document: a centre's list is one Query, not a filter over the nation's.
 */
export const centreCandidates: DocumentProjection<CentreCandidateLine> = {
  model: 'candidate-centre',
  keyOf: (stream) => (stream.startsWith('candidate#') ? stream.slice('candidate#'.length) : undefined),
  index: (line) => [{ partition: centreCandidatesPartition(line.registeredBy), key: line.candidateId, value: line }],
  evolve(doc, event) {
    if (event.type === 'CandidateRegistered') return doc ?? { candidateId: event.data.candidateId, registeredBy: event.data.registeredBy };
    return doc;
  },
};
