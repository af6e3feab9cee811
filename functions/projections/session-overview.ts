import type { AccessRoute } from '../../events/certification.js';
import type { CompetenceResult, DeliberationOutcome, SessionKind } from '../../events/session.js';
import type { DocumentProjection } from './projection.js';

export interface SessionOverview {
  sessionId: string;
  rncp: string;
  kind: SessionKind;
  blocs: string[];
  centreId: string;
  startsOn: string;
  endsOn: string;
  jury: { jurorId: string; independent: boolean }[];
  candidates: { candidateId: string; route: AccessRoute; blocs: string[]; enrolledAt: string }[];
  /** The reason is in the person vault (events before v2 carried it). */
  recusals: { jurorId: string; candidateId: string; declaredBy: 'juror' | 'centre' | 'dreets'; declarer: string; reason?: string; recordedAt: string }[];
  /** Candidates with accommodations decided (the measures are in their vault entry). */
  accommodations?: { candidateId: string; decidedAt: string }[];
  /** Jurors added to the jury for one candidate, after recusals. */
  added?: { jurorId: string; independent: boolean; candidateId: string; addedAt: string }[];
  /** One entry per juror, candidate and bloc, with the latest result of each competence; `counts` false once that juror is recused for that candidate. */
  assessments: { jurorId: string; candidateId: string; bloc: string; competences: { code: string; result: CompetenceResult }[]; recordedAt: string; counts?: boolean }[];
  deliberations: {
    candidateId: string;
    outcome: DeliberationOutcome;
    blocs: string[];
    finalInterviewHeld: boolean;
    dossierProfessionnel?: 'presented' | 'missing';
    proposedBy: string;
    proposedAt: string;
    signatures: { jurorId: string; signedAt: string }[];
    final: boolean;
    finalisedAt?: string;
    annulled: boolean;
  }[];
  pv: { status: 'open' | 'validated'; validatedBy?: string; validatedOn?: string; validatedAt?: string };
  annulments: { candidateId: string; reason: string; legalBasis: string; annulledBy: string; annulledAt: string }[];
}

const replace = <T>(list: T[], match: (item: T) => boolean, change: (item: T) => T) => list.map((item) => (match(item) ? change(item) : item));

/** GET /sessions/{sessionId}: one document per session stream. */
export const sessionOverview: DocumentProjection<SessionOverview> = {
  model: 'session',
  keyOf: (stream) => (stream.startsWith('session#') ? stream.slice('session#'.length) : undefined),
  evolve(doc, event) {
    const at = event.meta.occurredAt;
    if (event.type === 'SessionScheduled') {
      return { ...event.data, jury: [], candidates: [], recusals: [], assessments: [], deliberations: [], pv: { status: 'open' }, annulments: [] };
    }
    if (!doc) return doc;
    switch (event.type) {
      case 'JuryConstituted':
        return { ...doc, jury: event.data.members };
      case 'CandidateEnrolled':
        return { ...doc, candidates: [...doc.candidates, { ...event.data, enrolledAt: at }] };
      case 'JurorRecused': {
        const { jurorId, candidateId } = event.data;
        const mine = (d: { candidateId: string }) => d.candidateId === candidateId;
        // As the decider: the recused juror's proposal falls, their signature and assessments stop counting.
        const deliberations = doc.deliberations
          .filter((d) => !(mine(d) && d.proposedBy === jurorId && !d.annulled))
          .map((d) => (mine(d) && d.signatures.some((s) => s.jurorId === jurorId) ? { ...d, signatures: d.signatures.filter((s) => s.jurorId !== jurorId), final: false } : d));
        const assessments = replace(
          doc.assessments,
          (a) => a.jurorId === jurorId && mine(a),
          (a) => ({ ...a, counts: false }),
        );
        return { ...doc, recusals: [...doc.recusals, { ...event.data, recordedAt: at }], deliberations, assessments };
      }
      case 'AccommodationDecided':
        return { ...doc, accommodations: [...(doc.accommodations ?? []), { candidateId: event.data.candidateId, decidedAt: at }] };
      case 'JurorAddedForCandidate':
        return {
          ...doc,
          added: [...(doc.added ?? []), { ...event.data, addedAt: at }],
          // As the decider: a proposal not yet final falls, the jury completed decides again.
          deliberations: doc.deliberations.filter((d) => !(d.candidateId === event.data.candidateId && !d.final && !d.annulled)),
        };
      case 'AssessmentRecorded': {
        const { jurorId, candidateId, bloc, competences } = event.data;
        const same = (a: SessionOverview['assessments'][number]) => a.jurorId === jurorId && a.candidateId === candidateId && a.bloc === bloc;
        const previous = doc.assessments.find(same)?.competences ?? [];
        const merged = [...previous.filter((p) => !competences.some((c) => c.code === p.code)), ...competences];
        const entry = { jurorId, candidateId, bloc, competences: merged, recordedAt: at };
        return { ...doc, assessments: [...doc.assessments.filter((a) => !same(a)), entry] };
      }
      case 'DeliberationProposed':
        return { ...doc, deliberations: [...doc.deliberations, { ...event.data, proposedAt: at, signatures: [], final: false, annulled: false }] };
      case 'DeliberationSigned': {
        const { candidateId, jurorId } = event.data;
        return {
          ...doc,
          deliberations: replace(
            doc.deliberations,
            (d) => d.candidateId === candidateId,
            (d) => ({ ...d, signatures: [...d.signatures, { jurorId, signedAt: at }] }),
          ),
        };
      }
      case 'DeliberationFinalised':
        return {
          ...doc,
          deliberations: replace(
            doc.deliberations,
            (d) => d.candidateId === event.data.candidateId,
            (d) => ({ ...d, final: true, finalisedAt: at }),
          ),
        };
      case 'PvValidated':
        return { ...doc, pv: { status: 'validated', ...event.data, validatedAt: at } };
      case 'DecisionAnnulled':
        return {
          ...doc,
          deliberations: replace(
            doc.deliberations,
            (d) => d.candidateId === event.data.candidateId,
            (d) => ({ ...d, annulled: true }),
          ),
          annulments: [...doc.annulments, { ...event.data, annulledAt: at }],
        };
      default:
        return doc;
    }
  },
};
