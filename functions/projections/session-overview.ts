import type { AccessRoute } from '../../events/certification.js';
import type { CompetenceResult, DeliberationOutcome, SessionKind } from '../../events/session.js';
import type { RecordedEvent } from '../../events/registry.js';
import { HEADER_KEY, type PartitionedProjection } from './projection.js';

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
  /** `note`: the reason and legal basis in the candidate's vault entry (DecisionAnnulled v1 carried the text). */
  annulments: { candidateId: string; note?: string; reason?: string; legalBasis?: string; annulledBy: string; annulledAt: string }[];
}

const replace = <T>(list: T[], match: (item: T) => boolean, change: (item: T) => T) => list.map((item) => (match(item) ? change(item) : item));

/** The whole overview from one event: what the session's items are folded with, each on its own slice. */
function evolveOverview(doc: SessionOverview | undefined, event: RecordedEvent): SessionOverview | undefined {
  {
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
      case 'CandidateWithdrawn': {
        // As the decider: the candidate leaves the session with what concerned them only (nothing was assessed).
        const other = (d: { candidateId: string }) => d.candidateId !== event.data.candidateId;
        return {
          ...doc,
          candidates: doc.candidates.filter(other),
          recusals: doc.recusals.filter(other),
          ...(doc.accommodations ? { accommodations: doc.accommodations.filter(other) } : {}),
          ...(doc.added ? { added: doc.added.filter(other) } : {}),
        };
      }
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
  }
}

/** The lists of the overview that are about one candidate each: a candidate's item holds its entries of them. */
const PER_CANDIDATE = ['candidates', 'recusals', 'accommodations', 'added', 'assessments', 'deliberations', 'annulments'] as const;
type PerCandidate = (typeof PER_CANDIDATE)[number];
/** Each entry keeps `v`, the stream version that placed it, so the lists assembled from items keep the event order. */
type Versioned<T> = T & { v?: number };
export type SessionHeader = Omit<SessionOverview, PerCandidate>;
export type CandidateSlice = { [K in PerCandidate]-?: Versioned<NonNullable<SessionOverview[K]>[number]>[] };

const CANDIDATE_EVENTS = new Set([
  'CandidateEnrolled',
  'CandidateWithdrawn',
  'JurorRecused',
  'AccommodationDecided',
  'JurorAddedForCandidate',
  'AssessmentRecorded',
  'DeliberationProposed',
  'DeliberationSigned',
  'DeliberationFinalised',
  'DecisionAnnulled',
]);

const emptySlice = (): CandidateSlice => ({ candidates: [], recusals: [], accommodations: [], added: [], assessments: [], deliberations: [], annulments: [] });
const PLACEHOLDER: SessionHeader = { sessionId: '', rncp: '', kind: 'titre', blocs: [], centreId: '', startsOn: '', endsOn: '', jury: [], pv: { status: 'open' } };

/**
 * GET /sessions/{sessionId}: the session's partition (`session#<sessionId>`) holds a header (dates, jury, PV:
 * bounded, whatever the number of candidates; it carries the stream's checkpoint) and one item per candidate
 * (enrolment, recusals, assessments, deliberation, annulment). An event about a candidate rewrites that
 * candidate's item and the header's checkpoint, never the whole session; the route assembles the items of the
 * one partition.
 */
export const sessionOverview: PartitionedProjection<SessionHeader, CandidateSlice> = {
  model: 'session',
  keyOf: (stream) => (stream.startsWith('session#') ? stream.slice('session#'.length) : undefined),
  itemOf: (event) => (CANDIDATE_EVENTS.has(event.type) ? `candidate#${(event.data as { candidateId: string }).candidateId}` : HEADER_KEY),
  evolveHeader(header, event) {
    const next = evolveOverview(header && { ...header, ...emptySlice() }, event);
    if (!next) return next;
    const { candidates: _c, recusals: _r, accommodations: _a, added: _d, assessments: _s, deliberations: _l, annulments: _n, ...rest } = next;
    return rest;
  },
  evolveItem(slice, event) {
    const next = evolveOverview({ ...PLACEHOLDER, ...(slice ?? emptySlice()) } as SessionOverview, event)!;
    const out = emptySlice() as Record<PerCandidate, Versioned<object>[]>;
    for (const list of PER_CANDIDATE) out[list] = ((next[list] ?? []) as Versioned<object>[]).map((entry) => ('v' in entry ? entry : { ...entry, v: event.version }));
    return out as CandidateSlice;
  },
};

/** The overview from the items of its partition, each list in the order of the events that placed its entries. */
export function assembleOverview(header: SessionHeader, slices: readonly CandidateSlice[]): SessionOverview {
  const merged = {} as Record<PerCandidate, object[]>;
  for (const list of PER_CANDIDATE) {
    merged[list] = slices
      .flatMap((slice) => slice[list] as Versioned<object>[])
      .sort((a, b) => (a.v ?? 0) - (b.v ?? 0))
      .map(({ v: _, ...entry }) => entry);
  }
  const overview = { ...header, ...merged } as unknown as SessionOverview;
  // As the single document had them: these lists appear once the first entry does.
  if (!overview.accommodations?.length) delete overview.accommodations;
  if (!overview.added?.length) delete overview.added;
  return overview;
}
