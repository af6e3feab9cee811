import type { AccessRoute } from '../../events/certification.js';
import type { DeliberationOutcome, SessionKind } from '../../events/session.js';
import type { DocumentProjection } from './projection.js';

/**
 * The facts the yearly statistics count, one document per subject (DESIGN.md §3 "Projections"): no counter is
 * ever incremented from the feed. Each document is the pure fold of its own stream, so a replay overwrites it
 * with the same content; the statistics are aggregated from these documents on read
 * (functions/statistics/statistics-report.ts).
 */

/** A session: its version, centre, PV date (the year of obtention) and, per enrolled candidate, route and decision. */
export interface SessionFacts {
  sessionId: string;
  rncp: string;
  kind: SessionKind;
  centreId: string;
  /** The PV validation date; null while the PV is open (the session then counts in no year). */
  validatedOn: string | null;
  /** The stream version of the PV's validation (the statistics' position counts it). */
  validatedAt?: number;
  /**
   * By candidateId, in enrolment order. `outcome` is the final deliberation, null until there is one; `at` the
   * stream version of the last event about that candidate.
   */
  candidates: Record<string, { route: AccessRoute; outcome: DeliberationOutcome | null; annulled: boolean; at?: number }>;
}

/** `at`: the stream version of the event that recorded it, and of the annulment: what the statistics' position counts. */
export interface TitreFact {
  rncp: string;
  issuedOn: string;
  sessionId: string;
  annulled: boolean;
  at?: number;
  annulledAt?: number;
}

export interface CcpFact {
  rncp: string;
  bloc: string;
  acquiredOn: string;
  /** The session that awarded it; null for an equivalence. */
  sessionId: string | null;
  annulled: boolean;
  at?: number;
  annulledAt?: number;
}

export interface SurveyFact {
  horizon: '6m' | '24m';
  situation: 'employed_target_job' | 'employed_other' | 'unemployed' | 'neutralised';
  /** Index in `titres` of the titre the answer is about: the candidate's latest standing titre when it was recorded. */
  titre: number | null;
  at?: number;
}

/** A candidate: what was issued (and annulled), and the insertion survey answers. Only ids, no personal data. */
export interface CandidateFacts {
  candidateId: string;
  titres: TitreFact[];
  ccps: CcpFact[];
  surveys: SurveyFact[];
}

export interface CentreFacts {
  centreId: string;
  name: string;
  region: string;
}

const keyAfter = (prefix: string) => (stream: string) => (stream.startsWith(prefix) ? stream.slice(prefix.length) : undefined);

export const sessionFacts: DocumentProjection<SessionFacts> = {
  model: 'statistics-session',
  keyOf: keyAfter('session#'),
  evolve(doc, event) {
    switch (event.type) {
      case 'SessionScheduled': {
        const { sessionId, rncp, kind, centreId } = event.data;
        return { sessionId, rncp, kind, centreId, validatedOn: null, candidates: {} };
      }
      case 'CandidateEnrolled':
        if (!doc) return doc;
        return { ...doc, candidates: { ...doc.candidates, [event.data.candidateId]: { route: event.data.route, outcome: null, annulled: false, at: event.version } } };
      case 'CandidateWithdrawn': {
        // Before the PV (the decider refuses after): the candidate never counted here, and will not.
        if (!doc) return doc;
        const { [event.data.candidateId]: _, ...candidates } = doc.candidates;
        return { ...doc, candidates };
      }
      case 'DeliberationFinalised': {
        const enrolled = doc?.candidates[event.data.candidateId];
        if (!doc || !enrolled) return doc;
        return { ...doc, candidates: { ...doc.candidates, [event.data.candidateId]: { ...enrolled, outcome: event.data.outcome, at: event.version } } };
      }
      case 'DecisionAnnulled': {
        const enrolled = doc?.candidates[event.data.candidateId];
        if (!doc || !enrolled) return doc;
        return { ...doc, candidates: { ...doc.candidates, [event.data.candidateId]: { ...enrolled, annulled: true, at: event.version } } };
      }
      case 'PvValidated':
        if (!doc || doc.validatedOn) return doc;
        return { ...doc, validatedOn: event.data.validatedOn, validatedAt: event.version };
      default:
        return doc;
    }
  },
};

const emptyCandidate = (candidateId: string): CandidateFacts => ({ candidateId, titres: [], ccps: [], surveys: [] });

export const candidateFacts: DocumentProjection<CandidateFacts> = {
  model: 'statistics-candidate',
  keyOf: keyAfter('candidate#'),
  evolve(doc, event) {
    switch (event.type) {
      case 'CandidateRegistered':
        return doc ?? emptyCandidate(event.data.candidateId);
      case 'CcpAcquired': {
        const base = doc ?? emptyCandidate(event.data.candidateId);
        const { rncp, bloc, acquiredOn, via } = event.data;
        return { ...base, ccps: [...base.ccps, { rncp, bloc, acquiredOn, sessionId: via.kind === 'session' ? via.sessionId : null, annulled: false, at: event.version }] };
      }
      case 'TitreIssued': {
        const base = doc ?? emptyCandidate(event.data.candidateId);
        const { rncp, issuedOn, sessionId } = event.data;
        return { ...base, titres: [...base.titres, { rncp, issuedOn, sessionId, annulled: false, at: event.version }] };
      }
      case 'TitreAnnulled': {
        if (!doc) return doc;
        const { rncp, sessionId } = event.data;
        return { ...doc, titres: doc.titres.map((t) => (t.rncp === rncp && t.sessionId === sessionId && !t.annulled ? { ...t, annulled: true, annulledAt: event.version } : t)) };
      }
      case 'CcpAcquisitionAnnulled': {
        if (!doc) return doc;
        const { rncp, bloc, sessionId } = event.data;
        return {
          ...doc,
          ccps: doc.ccps.map((c) => (c.rncp === rncp && c.bloc === bloc && c.sessionId === sessionId && !c.annulled ? { ...c, annulled: true, annulledAt: event.version } : c)),
        };
      }
      case 'InsertionSurveyRecorded': {
        const base = doc ?? emptyCandidate(event.data.candidateId);
        const { horizon, situation } = event.data;
        let titre: number | null = null;
        for (let i = base.titres.length - 1; i >= 0; i--) {
          if (!base.titres[i]!.annulled) {
            titre = i;
            break;
          }
        }
        // A later answer about the same titre and horizon replaces the earlier one.
        const others = base.surveys.filter((s) => !(s.horizon === horizon && s.titre === titre));
        return { ...base, surveys: [...others, { horizon, situation, titre, at: event.version }] };
      }
      default:
        return doc;
    }
  },
};

export const centreFacts: DocumentProjection<CentreFacts> = {
  model: 'statistics-centre',
  keyOf: keyAfter('centre#'),
  evolve(doc, event) {
    if (event.type === 'CentreRegistered') return { centreId: event.data.centreId, name: event.data.name, region: event.data.region };
    return doc;
  },
};

/** The statistics' fact models, plus the catalogue (lineage) they are read with. */
export const statisticsFactProjections = [sessionFacts, candidateFacts, centreFacts] as const;
