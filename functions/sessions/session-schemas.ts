import { z } from 'zod';
import { AccessRoute } from '../../events/certification.js';
import { BlocCode, Id, IsoDate, RncpCode } from '../../events/define-event.js';
import { CompetenceResult, DeliberationOutcome, DossierProfessionnel, SessionKind } from '../../events/session.js';

export const SessionParams = z.object({ sessionId: Id });
export const DeliberationParams = z.object({ sessionId: Id, candidateId: Id });
/** Free text (reasons, legal bases): about a decision, never about a person's private life. */
export const Text = z.string().trim().min(1).max(1000);

const Member = z.object({ jurorId: z.string(), independent: z.boolean(), name: z.string().nullable().optional().describe('the juror’s name, from the vault') });

export const SessionView = z.object({
  sessionId: z.string(),
  rncp: z.string(),
  kind: SessionKind,
  blocs: z.array(z.string()),
  centreId: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  jury: z.array(Member),
  candidates: z.array(
    z.object({
      candidateId: z.string(),
      route: AccessRoute,
      blocs: z.array(z.string()),
      enrolledAt: z.string(),
      familyName: z.string().nullable().optional().describe('decrypted for this request (the centre, the jurors, the DREETS); null once erased'),
      givenNames: z.string().nullable().optional(),
    }),
  ),
  /** Who declared each recusal; its reason is kept in the person vault. */
  recusals: z.array(
    z.object({
      jurorId: z.string(),
      candidateId: z.string(),
      declaredBy: z.enum(['juror', 'centre', 'dreets']),
      declarer: z.string(),
      reason: z.string().optional(),
      recordedAt: z.string(),
    }),
  ),
  added: z.array(z.object({ jurorId: z.string(), independent: z.boolean(), candidateId: z.string(), addedAt: z.string() })).optional(),
  /** Who has accommodations; what they are is health data, kept in the candidate's vault entry. */
  accommodations: z.array(z.object({ candidateId: z.string(), decidedAt: z.string() })).optional(),
  assessments: z.array(
    z.object({
      jurorId: z.string(),
      candidateId: z.string(),
      bloc: z.string(),
      competences: z.array(z.object({ code: z.string(), result: CompetenceResult })),
      recordedAt: z.string(),
      /** False once this juror is recused for this candidate. */
      counts: z.boolean().optional(),
    }),
  ),
  deliberations: z.array(
    z.object({
      candidateId: z.string(),
      outcome: DeliberationOutcome,
      blocs: z.array(z.string()),
      finalInterviewHeld: z.boolean(),
      /** What the jury stated of the dossier professionnel, when it did (rule 17). */
      dossierProfessionnel: DossierProfessionnel.optional(),
      proposedBy: z.string(),
      proposedAt: z.string(),
      signatures: z.array(z.object({ jurorId: z.string(), signedAt: z.string() })),
      final: z.boolean(),
      finalisedAt: z.string().optional(),
      annulled: z.boolean(),
    }),
  ),
  pv: z.object({ status: z.enum(['open', 'validated']), validatedBy: z.string().optional(), validatedOn: z.string().optional(), validatedAt: z.string().optional() }),
  annulments: z.array(z.object({ candidateId: z.string(), reason: z.string(), legalBasis: z.string(), annulledBy: z.string(), annulledAt: z.string() })),
  /** The session stream's version this view reflects. */
  position: z.number(),
});

/** The whole jury; with `candidateId`, the jurors added for that candidate only, after recusals left it too small. */
export const JuryBody = z.object({ members: z.array(Id).min(1).max(20), candidateId: Id.optional() });
export const JuryAnswer = z.object({ sessionId: z.string(), members: z.array(Member) });

/** At a titre session a capitalising candidate names only the blocs they still lack (none when they hold them all). */
export const EnrolmentBody = z.object({ candidateId: Id, route: AccessRoute, blocs: z.array(BlocCode).max(50).optional() });
export const EnrolmentAnswer = z.object({ sessionId: z.string(), candidateId: z.string(), route: AccessRoute, blocs: z.array(z.string()) });

/** `jurorId` defaults to the calling juror; a centre or a DREETS agent names the juror. */
export const RecusalBody = z.object({ candidateId: Id, jurorId: Id.optional(), reason: Text });

export const AssessmentBody = z.object({
  candidateId: Id,
  bloc: BlocCode,
  competences: z
    .array(z.object({ code: z.string().min(1).max(32), result: CompetenceResult }))
    .min(1)
    .max(100),
});

export const DeliberationBody = z.object({
  candidateId: Id,
  /** Required to award a bloc that every juror's grid found short: the jury's reason, recorded with its decision. */
  assessmentsOverridden: z.string().trim().min(1).max(2000).optional(),
  outcome: DeliberationOutcome,
  blocs: z.array(BlocCode).max(50),
  finalInterviewHeld: z.boolean().default(false),
  /**
   * `missing`: the candidate came without their dossier professionnel; a titre is then refused
   * (dossier-professionnel-missing). Unstated on a titre proposal: read as presented, unless the version's
   * `dossierProfessionnelMustBeStated` says otherwise (dossier-professionnel-not-stated).
   */
  dossierProfessionnel: DossierProfessionnel.optional().describe(
    'Whether the candidate presented their dossier professionnel. A titre needs it: `missing` refuses the titre (dossier-professionnel-missing); unstated, it is read as presented unless the version requires it stated (dossier-professionnel-not-stated).',
  ),
});

export const DeliberationAnswer = z.object({
  candidateId: z.string(),
  outcome: DeliberationOutcome,
  blocs: z.array(z.string()),
  signedBy: z.array(z.string()),
  final: z.boolean(),
});

export const AnnulmentBody = z.object({ reason: Text, legalBasis: Text });

export const ScheduleBody = z.object({
  rncp: RncpCode,
  kind: SessionKind,
  blocs: z.array(BlocCode).min(1).optional(),
  centreId: Id,
  startsOn: IsoDate,
  endsOn: IsoDate,
});

/** An agrément or a habilitation for a certification version: validFrom defaults to the ledger's date. */
export const GrantBody = z.object({ rncp: RncpCode, validUntil: IsoDate, validFrom: IsoDate.optional() });
/** An agrément may also cover CCS of the version, named by code (a CCS needs its own agrément). */
export const AgrementBody = GrantBody.extend({ ccs: z.array(BlocCode).max(20).optional() });
