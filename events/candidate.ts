import * as z from './zod.js';
import { AccessRoute } from './certification.js';
import { BlocCode, defineEvent, Id, IsoDate, NoteRef, RncpCode } from './define-event.js';

/** A candidate exists: only ids here, the person's names and birth date live in the vault under candidateId. */
export const CandidateRegistered = defineEvent('CandidateRegistered', {
  latest: z.object({ candidateId: Id, registeredBy: Id }),
});

/** The person's data were erased (crypto-shredding): the record stays, the person can no longer be named. */
export const PersonalDataErased = defineEvent('PersonalDataErased', {
  latest: z.object({ candidateId: Id, erasedBy: z.string(), legalBasis: z.string() }),
});

export const AcquisitionVia = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), sessionId: Id }),
  z.object({ kind: z.literal('equivalence'), decision: z.string().check(z.minLength(1)) }),
]);
export type AcquisitionVia = z.infer<typeof AcquisitionVia>;

/** A bloc (CCP) obtained: a permanent fact. What lapses later is only its usability toward a titre. */
export const CcpAcquired = defineEvent('CcpAcquired', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, bloc: BlocCode, acquiredOn: IsoDate, via: AcquisitionVia }),
});

/**
 * How a titre was obtained (arrêté du 22/12/2015 art. 1): a session titre on every bloc, capitalisation of the
 * CCPs (the last one at a CCP session, or the missing ones at a titre session), équivalence, or VAE.
 */
export const TitreRoute = z.enum(['session', 'capitalisation', 'equivalence', 'vae']);
export type TitreRoute = z.infer<typeof TitreRoute>;

const TitreIssuedV1 = z.object({
  candidateId: Id,
  rncp: RncpCode,
  issuedOn: IsoDate,
  sessionId: Id,
  /** The blocs it was issued on, as held in that version (directly or by correspondence). */
  blocs: z.array(BlocCode),
});

/** The titre of a version, issued by a jury (session titre, or capitalisation) after the PV, with its route. */
export const TitreIssued = defineEvent(
  'TitreIssued',
  { 1: TitreIssuedV1, latest: z.extend(TitreIssuedV1, { route: TitreRoute }) },
  // Before capitalisation was recognised, a titre could only come from a session titre on every bloc.
  { 1: (d: z.infer<typeof TitreIssuedV1>) => ({ ...d, route: 'session' }) },
);

/** A bloc not used for a titre before its usableUntil: no longer counts toward the titre of that version. */
export const CcpUsabilityLapsed = defineEvent('CcpUsabilityLapsed', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, bloc: BlocCode, usableUntil: IsoDate }),
});

const CcpAcquisitionAnnulledV1 = z.object({ candidateId: Id, rncp: RncpCode, bloc: BlocCode, sessionId: Id, reason: z.string(), legalBasis: z.string() });
const TitreAnnulledV1 = z.object({ candidateId: Id, rncp: RncpCode, sessionId: Id, reason: z.string(), legalBasis: z.string() });
/**
 * The annulment's reason and legal basis, as DecisionAnnulled has them: since v2 the note in the candidate's vault
 * entry (absent when their data were already erased); events stored at v1 still carry the text.
 */
const AnnulmentText = { note: z.optional(NoteRef), reason: z.optional(z.string()), legalBasis: z.optional(z.string()) };

/** Compensating events of an annulled decision (appeal, fraud): history stays, the effect is withdrawn. */
export const CcpAcquisitionAnnulled = defineEvent(
  'CcpAcquisitionAnnulled',
  { 1: CcpAcquisitionAnnulledV1, latest: z.object({ candidateId: Id, rncp: RncpCode, bloc: BlocCode, sessionId: Id, ...AnnulmentText }) },
  { 1: (d: z.infer<typeof CcpAcquisitionAnnulledV1>) => d },
);
export const TitreAnnulled = defineEvent(
  'TitreAnnulled',
  { 1: TitreAnnulledV1, latest: z.object({ candidateId: Id, rncp: RncpCode, sessionId: Id, ...AnnulmentText }) },
  { 1: (d: z.infer<typeof TitreAnnulledV1>) => d },
);

/**
 * The random code of a certificate to issue, reserved on the candidate's stream first, so that a retried
 * issuance finds the same code instead of drawing a new one.
 */
const CertificateCodeReservedV1 = z.object({
  candidateId: Id,
  issuanceKey: z.string().check(z.minLength(1)),
  code: z.string().check(z.minLength(1)),
  kind: z.enum(['titre', 'ccp']),
  rncp: RncpCode,
  blocs: z.array(BlocCode),
});
export const CertificateCodeReserved = defineEvent(
  'CertificateCodeReserved',
  { 1: CertificateCodeReservedV1, latest: z.extend(CertificateCodeReservedV1, { kind: z.enum(['titre', 'ccp', 'ccs']) }) },
  { 1: (d: z.infer<typeof CertificateCodeReservedV1>) => d },
);

/** Notifications sent to the candidate (results, reminders, lapses): the local outbox is built from these. */
export const CandidateNotified = defineEvent('CandidateNotified', {
  latest: z.object({
    candidateId: Id,
    notificationKey: z.string().check(z.minLength(1)),
    topic: z.enum(['session-results', 'usability-reminder', 'usability-lapsed', 'decision-annulled', 'certificate-status', 'equivalence']),
    message: z.string(),
    rncp: z.optional(RncpCode),
    bloc: z.optional(BlocCode),
  }),
});

/** A survey answer on the candidate's situation after the certification, for the ministry's insertion rates. */
export const InsertionSurveyRecorded = defineEvent('InsertionSurveyRecorded', {
  latest: z.object({
    candidateId: Id,
    horizon: z.enum(['6m', '24m']),
    situation: z.enum(['employed_target_job', 'employed_other', 'unemployed', 'neutralised']),
    recordedBy: z.string(),
  }),
});

/**
 * A training declared by the candidate's centre, with its end date: after the one-year re-sit window of a
 * training-route candidate (règlement général des sessions), it opens enrolment again.
 */
export const TrainingDeclared = defineEvent('TrainingDeclared', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, route: AccessRoute, endsOn: IsoDate, declaredBy: Id }),
});

/**
 * What a validated PV decided for the candidate, whatever the outcome (ajourné and absent included): the
 * candidate's sessions in the livret, and the start of the re-sit window of a training-route candidate.
 */
export const SessionOutcomeRecorded = defineEvent('SessionOutcomeRecorded', {
  latest: z.object({
    candidateId: Id,
    sessionId: Id,
    rncp: RncpCode,
    kind: z.enum(['titre', 'ccp', 'ccs']),
    route: AccessRoute,
    outcome: z.enum(['titre', 'ccp', 'ajourne', 'absent', 'exclu']),
    /** Every bloc the candidate was enrolled on, and those acquired at this session. */
    enrolledBlocs: z.array(BlocCode),
    blocs: z.array(BlocCode),
    startsOn: IsoDate,
    endsOn: IsoDate,
    decidedOn: IsoDate,
  }),
});

/**
 * The DREETS found a VAE request admissible (recevable) for a version: only then may the candidate enrol by
 * the VAE route (research/domain_rules.md §2.6).
 */
export const VaeRecevabiliteDecided = defineEvent('VaeRecevabiliteDecided', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, decidedOn: IsoDate, decidedBy: z.string().check(z.minLength(1), z.maxLength(128)) }),
});

/**
 * A DREETS decision of total or partial équivalence (art. 1 3° and 4° of the arrêté of 22/12/2015), with its
 * legal basis and date; the blocs it grants follow as CcpAcquired (via équivalence) and, for the titre, TitreIssued.
 */
export const EquivalenceGranted = defineEvent('EquivalenceGranted', {
  latest: z.object({
    candidateId: Id,
    decisionId: Id,
    rncp: RncpCode,
    blocs: z.array(BlocCode),
    titre: z.boolean(),
    decidedOn: IsoDate,
    legalBasis: z.string().check(z.minLength(1), z.maxLength(500)),
    decidedBy: z.string().check(z.minLength(1), z.maxLength(128)),
  }),
});

/** A certificat complémentaire de spécialisation obtained at a CCS session, by a holder of the version's titre. */
export const CcsAcquired = defineEvent('CcsAcquired', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, ccs: BlocCode, acquiredOn: IsoDate, sessionId: Id }),
});

/**
 * The candidate takes a seat at a titre session of a version, until that session's PV decides for them
 * (SessionOutcomeRecorded) or the enrolment is given up: meanwhile no other titre session of the version, whose
 * second titre would fail at issuance (issue 17). Kept on the candidate's stream, so two enrolments racing on two
 * sessions meet on one stream and one of them loses.
 */
export const TitreSittingReserved = defineEvent('TitreSittingReserved', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, sessionId: Id }),
});

/** The seat taken by TitreSittingReserved is given up: the session refused the enrolment after the seat was taken. */
export const TitreSittingReleased = defineEvent('TitreSittingReleased', {
  latest: z.object({ candidateId: Id, rncp: RncpCode, sessionId: Id }),
});
