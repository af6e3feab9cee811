import type { SessionKind } from '../../events/session.js';
import { partitionOf } from '../ports/read-model-store.js';
import type { DocumentProjection } from './projection.js';

/**
 * One line per session, for the list of a centre's sessions (GET /centres/{centreId}/sessions): what a centre
 * needs to pick a session, without the assessments and signatures GET /sessions/{sessionId} carries.
 * Documents are keyed by session (one per stream, so a replay rebuilds them byte for byte) and each puts its line
 * in its centre's partition (`centre-sessions#<centreId>`): the route reads that one partition, whatever the
 * number of sessions held nationally.
 */
export interface CentreSessionLine {
  sessionId: string;
  centreId: string;
  rncp: string;
  kind: SessionKind;
  blocs: string[];
  startsOn: string;
  endsOn: string;
  juryMembers: number;
  candidates: number;
  /** Deliberations proposed, final (every non-recused member signed) and annulled after the PV (appeals). */
  deliberations: { proposed: number; final: number; annulled: number };
  pv: { status: 'open' | 'validated'; validatedOn?: string };
}

/** The partition of one centre's session lines. */
export const centreSessionsPartition = (centreId: string) => partitionOf('centre-sessions', centreId);

export const centreSessions: DocumentProjection<CentreSessionLine> = {
  model: 'centre-session',
  keyOf: (stream) => (stream.startsWith('session#') ? stream.slice('session#'.length) : undefined),
  index: (line) => [{ partition: centreSessionsPartition(line.centreId), key: line.sessionId, value: line }],
  evolve(doc, event) {
    if (event.type === 'SessionScheduled') {
      const { sessionId, centreId, rncp, kind, blocs, startsOn, endsOn } = event.data;
      return {
        sessionId,
        centreId,
        rncp,
        kind,
        blocs,
        startsOn,
        endsOn,
        juryMembers: 0,
        candidates: 0,
        deliberations: { proposed: 0, final: 0, annulled: 0 },
        pv: { status: 'open' },
      };
    }
    if (!doc) return doc;
    switch (event.type) {
      case 'JuryConstituted':
        return { ...doc, juryMembers: event.data.members.length };
      case 'CandidateEnrolled':
        return { ...doc, candidates: doc.candidates + 1 };
      case 'CandidateWithdrawn':
        return { ...doc, candidates: doc.candidates - 1 };
      case 'DeliberationProposed':
        return { ...doc, deliberations: { ...doc.deliberations, proposed: doc.deliberations.proposed + 1 } };
      case 'DeliberationFinalised':
        return { ...doc, deliberations: { ...doc.deliberations, final: doc.deliberations.final + 1 } };
      case 'DecisionAnnulled':
        return { ...doc, deliberations: { ...doc.deliberations, annulled: doc.deliberations.annulled + 1 } };
      case 'PvValidated':
        return { ...doc, pv: { status: 'validated', validatedOn: event.data.validatedOn } };
      default:
        return doc;
    }
  },
};
