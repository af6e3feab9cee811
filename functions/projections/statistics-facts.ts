import type { AccessRoute } from '../../events/certification.js';
import type { DeliberationOutcome, SessionKind } from '../../events/session.js';
import type { RecordedEvent } from '../../events/registry.js';
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
  /**
   * By candidateId, the stream version of their withdrawal, until they enrol again: what the session last said of
   * them, so that a statistics fact built from their enrolment (the candidate's stream ahead of the session's in
   * the change feed) sees the session move on rather than go back.
   */
  withdrawn?: Record<string, number>;
}

/** The version of a candidate's withdrawal from a session, while they are not enrolled again. */
export const withdrawnAt = (session: SessionFacts, candidateId: string): number | undefined =>
  session.withdrawn && Object.hasOwn(session.withdrawn, candidateId) ? session.withdrawn[candidateId] : undefined;

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

/**
 * A session's candidates as a fold keeps them: a record without prototype, so no candidateId is ever taken for an
 * inherited property and adding one (every candidate's id is new) reshapes nothing; it serialises as any record.
 */
const candidateRecord = (from?: SessionFacts['candidates']): SessionFacts['candidates'] => Object.assign(Object.create(null), from);

/**
 * The fold owns a copy of the document (its top level and its candidates' record) and changes that copy in place,
 * an entry that changes being replaced, never changed: one copy per fold, where a copy per event would make a
 * session's fold quadratic in its number of candidates.
 */
function foldSession(doc: SessionFacts | undefined, events: readonly RecordedEvent[]): SessionFacts | undefined {
  let session = doc && { ...doc, candidates: candidateRecord(doc.candidates) };
  for (const event of events) {
    switch (event.type) {
      case 'SessionScheduled': {
        const { sessionId, rncp, kind, centreId } = event.data;
        session = { sessionId, rncp, kind, centreId, validatedOn: null, candidates: candidateRecord() };
        break;
      }
      case 'CandidateEnrolled':
        if (!session) break;
        session.candidates[event.data.candidateId] = { route: event.data.route, outcome: null, annulled: false, at: event.version };
        if (withdrawnAt(session, event.data.candidateId) !== undefined) {
          // Copied when it changes, never changed in place (the fold may have been given it).
          const { [event.data.candidateId]: _, ...withdrawn } = session.withdrawn!;
          if (Object.keys(withdrawn).length) session.withdrawn = withdrawn;
          else delete session.withdrawn;
        }
        break;
      case 'CandidateWithdrawn':
        // Before the PV and any judgement (the decider refuses after): the candidate does not count here.
        if (!session) break;
        delete session.candidates[event.data.candidateId];
        session.withdrawn = { ...session.withdrawn, [event.data.candidateId]: event.version };
        break;
      case 'DeliberationFinalised': {
        const enrolled = session?.candidates[event.data.candidateId];
        if (session && enrolled) session.candidates[event.data.candidateId] = { ...enrolled, outcome: event.data.outcome, at: event.version };
        break;
      }
      case 'DecisionAnnulled': {
        const enrolled = session?.candidates[event.data.candidateId];
        if (session && enrolled) session.candidates[event.data.candidateId] = { ...enrolled, annulled: true, at: event.version };
        break;
      }
      case 'PvValidated':
        if (session && !session.validatedOn) {
          session.validatedOn = event.data.validatedOn;
          session.validatedAt = event.version;
        }
        break;
    }
  }
  return session;
}

export const sessionFacts: DocumentProjection<SessionFacts> = {
  model: 'statistics-session',
  keyOf: keyAfter('session#'),
  evolve: (doc, event) => foldSession(doc, [event]),
  fold: foldSession,
};

const emptyCandidate = (candidateId: string): CandidateFacts => ({ candidateId, titres: [], ccps: [], surveys: [] });

/** As a session's: the fold's own copy of the document and its lists, changed in place, a changed fact replaced. */
function foldCandidate(doc: CandidateFacts | undefined, events: readonly RecordedEvent[]): CandidateFacts | undefined {
  let facts = doc && { ...doc, titres: [...doc.titres], ccps: [...doc.ccps], surveys: [...doc.surveys] };
  for (const event of events) {
    switch (event.type) {
      case 'CandidateRegistered':
        facts ??= emptyCandidate(event.data.candidateId);
        break;
      case 'CcpAcquired': {
        facts ??= emptyCandidate(event.data.candidateId);
        const { rncp, bloc, acquiredOn, via } = event.data;
        facts.ccps.push({ rncp, bloc, acquiredOn, sessionId: via.kind === 'session' ? via.sessionId : null, annulled: false, at: event.version });
        break;
      }
      case 'TitreIssued': {
        facts ??= emptyCandidate(event.data.candidateId);
        const { rncp, issuedOn, sessionId } = event.data;
        facts.titres.push({ rncp, issuedOn, sessionId, annulled: false, at: event.version });
        break;
      }
      case 'TitreAnnulled': {
        if (!facts) break;
        const { rncp, sessionId } = event.data;
        const { titres } = facts;
        for (let i = 0; i < titres.length; i++) {
          const t = titres[i]!;
          if (t.rncp === rncp && t.sessionId === sessionId && !t.annulled) titres[i] = { ...t, annulled: true, annulledAt: event.version };
        }
        break;
      }
      case 'CcpAcquisitionAnnulled': {
        if (!facts) break;
        const { rncp, bloc, sessionId } = event.data;
        const { ccps } = facts;
        for (let i = 0; i < ccps.length; i++) {
          const c = ccps[i]!;
          if (c.rncp === rncp && c.bloc === bloc && c.sessionId === sessionId && !c.annulled) ccps[i] = { ...c, annulled: true, annulledAt: event.version };
        }
        break;
      }
      case 'InsertionSurveyRecorded': {
        facts ??= emptyCandidate(event.data.candidateId);
        const { horizon, situation } = event.data;
        let titre: number | null = null;
        for (let i = facts.titres.length - 1; i >= 0; i--) {
          if (!facts.titres[i]!.annulled) {
            titre = i;
            break;
          }
        }
        // A later answer about the same titre and horizon replaces the earlier one (and goes last).
        facts.surveys = facts.surveys.filter((s) => !(s.horizon === horizon && s.titre === titre));
        facts.surveys.push({ horizon, situation, titre, at: event.version });
        break;
      }
    }
  }
  return facts;
}

export const candidateFacts: DocumentProjection<CandidateFacts> = {
  model: 'statistics-candidate',
  keyOf: keyAfter('candidate#'),
  evolve: (doc, event) => foldCandidate(doc, [event]),
  fold: foldCandidate,
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
