import * as z from './zod.js';
import { AccessRoute } from './certification.js';
import { BlocCode, defineEvent, Id, IsoDate, NoteRef, RncpCode } from './define-event.js';

const SessionKindV1 = z.enum(['titre', 'ccp']);
/** `ccs`: a session of certificats complémentaires de spécialisation, for holders of the titre (DESIGN.md rule 14). */
export const SessionKind = z.enum(['titre', 'ccp', 'ccs']);
export type SessionKind = z.infer<typeof SessionKind>;

export const CompetenceResult = z.enum(['acquis', 'non_acquis']);
export type CompetenceResult = z.infer<typeof CompetenceResult>;

const DeliberationOutcomeV1 = z.enum(['titre', 'ccp', 'ajourne', 'absent']);
/** `exclu`: excluded from the session for fraud or attempted fraud; nothing is acquired. */
export const DeliberationOutcome = z.enum(['titre', 'ccp', 'ajourne', 'absent', 'exclu']);
export type DeliberationOutcome = z.infer<typeof DeliberationOutcome>;
/** Whether the candidate presented their dossier professionnel, which they must bring to every session. */
export const DossierProfessionnel = z.enum(['presented', 'missing']);

/** Free text the DREETS and the jury write (reasons, legal bases): bounded, and never a place for names. */
const Text = z.string().check(z.minLength(1), z.maxLength(1000));
/** Who acted, when not a juror: the caller's sub (a DREETS agent). */
const AgentId = z.string().check(z.minLength(1), z.maxLength(128));

const SessionScheduledV1 = z.object({
  sessionId: Id,
  rncp: RncpCode,
  kind: SessionKindV1,
  /** Every bloc of the version for a titre session; the blocs examined for a ccp session. */
  blocs: z.array(BlocCode).check(z.minLength(1)),
  centreId: Id,
  startsOn: IsoDate,
  endsOn: IsoDate,
});
/** `blocs`: for a ccs session, the CCS it examines. */
export const SessionScheduled = defineEvent(
  'SessionScheduled',
  { 1: SessionScheduledV1, latest: z.extend(SessionScheduledV1, { kind: SessionKind }) },
  { 1: (d: z.infer<typeof SessionScheduledV1>) => d },
);

export const JuryMember = z.object({ jurorId: Id, independent: z.boolean() });
export type JuryMember = z.infer<typeof JuryMember>;

/** The whole jury: a later JuryConstituted replaces it. */
export const JuryConstituted = defineEvent('JuryConstituted', {
  latest: z.object({ members: z.array(JuryMember).check(z.minLength(1)) }),
});

const CandidateEnrolledV1 = z.object({ candidateId: Id, route: AccessRoute, blocs: z.array(BlocCode).check(z.minLength(1)) });
/**
 * At a titre session a capitalising candidate is enrolled only on the blocs still missing, and on none when they
 * hold them all (the jury then only issues the titre).
 */
export const CandidateEnrolled = defineEvent(
  'CandidateEnrolled',
  { 1: CandidateEnrolledV1, latest: z.extend(CandidateEnrolledV1, { blocs: z.array(BlocCode) }) },
  { 1: (d: z.infer<typeof CandidateEnrolledV1>) => d },
);

/**
 * The session's centre withdraws an enrolment before anything was recorded for the candidate (no assessment, no
 * deliberation) and before the PV: the candidate does not sit this session (they gave up, or the centre abandons
 * the session). A titre session's seat on the candidate's stream is given back with it (TitreSittingReleased).
 */
export const CandidateWithdrawn = defineEvent('CandidateWithdrawn', {
  latest: z.object({ candidateId: Id, withdrawnBy: z.string().check(z.minLength(1), z.maxLength(128)) }),
});

const JurorRecusedV1 = z.object({ jurorId: Id, candidateId: Id, reason: Text });
export const RecusalDeclarer = z.enum(['juror', 'centre', 'dreets']);
/**
 * A juror who knows a candidate stands aside for that candidate only, declared by the juror, the centre or the
 * DREETS. The reason may speak of the person: it is kept in the person vault, not here (v1 events still carry it).
 */
export const JurorRecused = defineEvent(
  'JurorRecused',
  {
    1: JurorRecusedV1,
    latest: z.object({ jurorId: Id, candidateId: Id, declaredBy: RecusalDeclarer, declarer: z.string().check(z.minLength(1), z.maxLength(128)), reason: z.optional(Text) }),
  },
  { 1: (d: z.infer<typeof JurorRecusedV1>) => ({ ...d, declaredBy: 'juror', declarer: d.jurorId }) },
);

/** A habilitated juror added to the jury for one candidate, when recusals left it below the minimum. */
export const JurorAddedForCandidate = defineEvent('JurorAddedForCandidate', {
  latest: z.object({ jurorId: Id, independent: z.boolean(), candidateId: Id }),
});

export const AssessmentRecorded = defineEvent('AssessmentRecorded', {
  latest: z.object({
    jurorId: Id,
    candidateId: Id,
    bloc: BlocCode,
    competences: z.array(z.object({ code: z.string().check(z.minLength(1)), result: CompetenceResult })).check(z.minLength(1)),
  }),
});

const DeliberationProposedV1 = z.object({
  candidateId: Id,
  outcome: DeliberationOutcomeV1,
  /** The blocs acquired: every bloc of the version for titre, the CCPs for ccp, none for ajourne and absent. */
  blocs: z.array(BlocCode),
  finalInterviewHeld: z.boolean(),
  proposedBy: Id,
});
const DeliberationProposedV2 = z.extend(DeliberationProposedV1, {
  outcome: DeliberationOutcome,
  dossierProfessionnel: z.optional(DossierProfessionnel),
  /** Blocs awarded although every grid found a competence non acquise, and the jury's reason. */
  assessmentsOverridden: z.optional(z.object({ blocs: z.array(BlocCode).check(z.minLength(1)), reason: Text })),
});
/**
 * A juror proposes the jury's decision for a candidate; the proposer's signature follows in the same commit.
 * `blocs`: those acquired at this session (a titre by capitalisation names only the blocs sat now). Since v3 the
 * jury's reason for overriding its assessments, which may speak of the candidate, is a note in the candidate's
 * vault entry (`note`, absent when their data were already erased); v2 events still carry it.
 */
export const DeliberationProposed = defineEvent(
  'DeliberationProposed',
  {
    1: DeliberationProposedV1,
    2: DeliberationProposedV2,
    latest: z.extend(DeliberationProposedV2, {
      assessmentsOverridden: z.optional(z.object({ blocs: z.array(BlocCode).check(z.minLength(1)), note: z.optional(NoteRef), reason: z.optional(Text) })),
    }),
  },
  { 1: (d: z.infer<typeof DeliberationProposedV1>) => d, 2: (d: z.infer<typeof DeliberationProposedV2>) => d },
);

export const DeliberationSigned = defineEvent('DeliberationSigned', {
  latest: z.object({ candidateId: Id, jurorId: Id }),
});

/** Appended with the last signature a deliberation needs: every non-recused jury member has signed it. */
const DeliberationFinalisedV1 = z.object({ candidateId: Id, outcome: DeliberationOutcomeV1, blocs: z.array(BlocCode), finalInterviewHeld: z.boolean() });
export const DeliberationFinalised = defineEvent(
  'DeliberationFinalised',
  { 1: DeliberationFinalisedV1, latest: z.extend(DeliberationFinalisedV1, { outcome: DeliberationOutcome }) },
  { 1: (d: z.infer<typeof DeliberationFinalisedV1>) => d },
);

/** The DREETS validates the procès-verbal: from here the decisions take effect (the session workflow runs). */
export const PvValidated = defineEvent('PvValidated', {
  latest: z.object({ validatedBy: AgentId, validatedOn: IsoDate }),
});

const DecisionAnnulledV1 = z.object({ candidateId: Id, reason: Text, legalBasis: Text, annulledBy: AgentId });
/**
 * An appeal or a correction annuls a final decision. History stays: compensating events follow on the candidate.
 * Since v2 the reason and legal basis, which may name the candidate, are a note in the candidate's vault entry
 * (`note`, absent when their data were already erased); v1 events still carry them.
 */
export const DecisionAnnulled = defineEvent(
  'DecisionAnnulled',
  {
    1: DecisionAnnulledV1,
    latest: z.object({ candidateId: Id, note: z.optional(NoteRef), annulledBy: AgentId, reason: z.optional(Text), legalBasis: z.optional(Text) }),
  },
  { 1: (d: z.infer<typeof DecisionAnnulledV1>) => d },
);

/**
 * Accommodations decided for a disabled candidate (C. trav. L5211-4; règlement général, art. 2): that they were
 * decided, by whom. The measures are health data: they are in the candidate's vault entry, never here.
 */
export const AccommodationDecided = defineEvent('AccommodationDecided', {
  latest: z.object({ candidateId: Id, decidedBy: AgentId }),
});
