import type { SessionKind } from '../../events/session.js';
import { partitionOf } from '../ports/read-model-store.js';
import type { DocumentProjection } from './projection.js';

/** A session as its jurors list it (GET /jurors/{jurorId}/sessions): what they sit, where and when. */
export interface JurorSessionLine {
  sessionId: string;
  rncp: string;
  kind: SessionKind;
  startsOn: string;
  endsOn: string;
  centreId: string;
  /** Whether the PV is validated: what tells a juror the session is done. */
  pv: 'open' | 'validated';
}

interface SessionJurors extends JurorSessionLine {
  jury: string[];
  /** Jurors added for one candidate after a recusal. */
  added: string[];
  /** The jury's members, then the jurors added, each once: those whose partition lists the session. */
  jurors: string[];
}

/** The partition of one juror's sessions. */
export const jurorSessionsPartition = (jurorId: string) => partitionOf('juror-sessions', jurorId);

/**
 * Sessions by juror: a partition per juror (`juror-sessions#<jurorId>`), one line per session they sit on,
 * written from the session's own document (one per stream, keyed by session), so a juror's list is one Query
 * however many sessions are held nationally.
 */
export const jurorSessions: DocumentProjection<SessionJurors> = {
  model: 'session-jurors',
  keyOf: (stream) => (stream.startsWith('session#') ? stream.slice('session#'.length) : undefined),
  index: ({ jurors, jury: _, added: __, ...line }) => jurors.map((jurorId) => ({ partition: jurorSessionsPartition(jurorId), key: line.sessionId, value: line })),
  evolve(doc, event) {
    if (event.type === 'SessionScheduled') {
      const { sessionId, rncp, kind, startsOn, endsOn, centreId } = event.data;
      return { sessionId, rncp, kind, startsOn, endsOn, centreId, pv: 'open', jury: [], added: [], jurors: [] };
    }
    if (!doc) return doc;
    const unique = (ids: string[]) => [...new Set(ids)];
    // A later JuryConstituted replaces the jury (the jurors it drops lose the line); added jurors stay.
    if (event.type === 'JuryConstituted')
      return { ...doc, jury: event.data.members.map((m) => m.jurorId), jurors: unique([...event.data.members.map((m) => m.jurorId), ...doc.added]) };
    if (event.type === 'PvValidated') return { ...doc, pv: 'validated' };
    if (event.type === 'JurorAddedForCandidate') return { ...doc, added: unique([...doc.added, event.data.jurorId]), jurors: unique([...doc.jurors, event.data.jurorId]) };
    return doc;
  },
};
