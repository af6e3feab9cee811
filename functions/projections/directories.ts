import type { SessionKind } from '../../events/session.js';
import type { DocumentProjection } from './projection.js';

/**
 * The lists people pick from instead of typing ids (issue 16): centres by region, a centre's candidates, the jurors
 * habilitated for a version, a juror's sessions. Each document is the fold of one stream; its partitions are what a
 * list reads (one Query each). Only ids and what organisations publish: the persons' names stay in the vault.
 */

const keyAfter = (prefix: string) => (stream: string) => (stream.startsWith(prefix) ? stream.slice(prefix.length) : undefined);

export interface CentreEntry {
  centreId: string;
  name: string;
  region: string;
  agrements: { rncp: string; validFrom: string; validUntil: string }[];
}

/** Centres by region: GET /centres (a DREETS agent, its region), GET /centres/{centreId}. */
export const centreDirectory: DocumentProjection<CentreEntry> = {
  model: 'centre-directory',
  keyOf: keyAfter('centre#'),
  evolve(doc, event) {
    switch (event.type) {
      case 'CentreRegistered': {
        const { centreId, name, region } = event.data;
        return { centreId, name, region, agrements: doc?.agrements ?? [] };
      }
      case 'AgrementGranted': {
        if (!doc) return doc;
        const { rncp, validFrom, validUntil } = event.data;
        return { ...doc, agrements: [...doc.agrements.filter((a) => a.rncp !== rncp), { rncp, validFrom, validUntil }] };
      }
      default:
        return doc;
    }
  },
  partitionsOf: (doc) => [`region:${doc.region}`],
};

export interface CentreCandidateEntry {
  candidateId: string;
  centreId: string;
  erased: boolean;
}

/** A centre's candidates (the centre that registered them): GET /centres/{centreId}/candidates. */
export const centreCandidates: DocumentProjection<CentreCandidateEntry> = {
  model: 'centre-candidate',
  keyOf: keyAfter('candidate#'),
  evolve(doc, event) {
    switch (event.type) {
      case 'CandidateRegistered':
        return { candidateId: event.data.candidateId, centreId: event.data.registeredBy, erased: false };
      case 'PersonalDataErased':
        return doc && { ...doc, erased: true };
      default:
        return doc;
    }
  },
  partitionsOf: (doc) => [doc.centreId],
};

export interface JurorEntry {
  jurorId: string;
  independent: boolean;
  region?: string;
  habilitations: { rncp: string; validFrom: string; validUntil: string }[];
}

/** Jurors by the version they are habilitated for: GET /jurors?rncp=. */
export const jurorDirectory: DocumentProjection<JurorEntry> = {
  model: 'juror-directory',
  keyOf: keyAfter('juror#'),
  evolve(doc, event) {
    switch (event.type) {
      case 'JurorRegistered': {
        const { jurorId, independent, region } = event.data;
        return { jurorId, independent, ...(region ? { region } : {}), habilitations: doc?.habilitations ?? [] };
      }
      case 'HabilitationGranted': {
        if (!doc) return doc;
        const { rncp, validFrom, validUntil } = event.data;
        return { ...doc, habilitations: [...doc.habilitations.filter((h) => h.rncp !== rncp), { rncp, validFrom, validUntil }] };
      }
      default:
        return doc;
    }
  },
  partitionsOf: (doc) => [...new Set(doc.habilitations.map((h) => `rncp:${h.rncp}`))],
};

export interface JurorSessionEntry {
  sessionId: string;
  centreId: string;
  rncp: string;
  kind: SessionKind;
  startsOn: string;
  endsOn: string;
  /** The jury and the jurors added for one candidate: who sees the session in their list. */
  jurors: string[];
  /** Those added for one candidate after recusals: they stay when the jury is constituted again. */
  added: string[];
  pv: 'open' | 'validated';
}

/** A juror's sessions: GET /jurors/{jurorId}/sessions. */
export const jurorSessions: DocumentProjection<JurorSessionEntry> = {
  model: 'juror-session',
  keyOf: keyAfter('session#'),
  evolve(doc, event) {
    if (event.type === 'SessionScheduled') {
      const { sessionId, centreId, rncp, kind, startsOn, endsOn } = event.data;
      return { sessionId, centreId, rncp, kind, startsOn, endsOn, jurors: [], added: [], pv: 'open' };
    }
    if (!doc) return doc;
    switch (event.type) {
      case 'JuryConstituted':
        return { ...doc, jurors: [...new Set([...event.data.members.map((m) => m.jurorId), ...doc.added])] };
      case 'JurorAddedForCandidate':
        return { ...doc, added: [...doc.added, event.data.jurorId], jurors: [...new Set([...doc.jurors, event.data.jurorId])] };
      case 'PvValidated':
        return { ...doc, pv: 'validated' };
      default:
        return doc;
    }
  },
  partitionsOf: (doc) => doc.jurors,
};
