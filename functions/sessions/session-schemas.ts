import * as z from '../../events/zod.js';
import { AccessRoute } from '../../events/certification.js';
import { BlocCode, Id, IsoDate, RncpCode, shownText } from '../../events/define-event.js';
import { CompetenceResult, DeliberationOutcome, DossierProfessionnel, SessionKind } from '../../events/session.js';

export const SessionParams = z.object({ sessionId: Id });
export const DeliberationParams = z.object({ sessionId: Id, candidateId: Id });
/** Free text (reasons, legal bases): about a decision, never about a person's private life. */
export const Text = shownText(1000);

const Member = z.object({ jurorId: z.string(), independent: z.boolean(), name: z.optional(z.nullable(z.string())).check(z.describe('the juror’s name, from the vault')) });

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
      familyName: z.optional(z.nullable(z.string())).check(z.describe('decrypted for this request (the centre, the jurors, the DREETS); null once erased')),
      givenNames: z.optional(z.nullable(z.string())),
    }),
  ),
  /** Who declared each recusal; its reason is kept in the person vault. */
  recusals: z.array(
    z.object({
      jurorId: z.string(),
      candidateId: z.string(),
      declaredBy: z.enum(['juror', 'centre', 'dreets']),
      declarer: z.string(),
      reason: z.optional(z.string()),
      recordedAt: z.string(),
    }),
  ),
  added: z.optional(z.array(z.object({ jurorId: z.string(), independent: z.boolean(), candidateId: z.string(), addedAt: z.string() }))),
  /** Who has accommodations; what they are is health data, kept in the candidate's vault entry. */
  accommodations: z.optional(z.array(z.object({ candidateId: z.string(), decidedAt: z.string() }))),
  assessments: z.array(
    z.object({
      jurorId: z.string(),
      candidateId: z.string(),
      bloc: z.string(),
      competences: z.array(z.object({ code: z.string(), result: CompetenceResult })),
      recordedAt: z.string(),
      /** False once this juror is recused for this candidate. */
      counts: z.optional(z.boolean()),
    }),
  ),
  deliberations: z.array(
    z.object({
      candidateId: z.string(),
      outcome: DeliberationOutcome,
      blocs: z.array(z.string()),
      finalInterviewHeld: z.boolean(),
      /** What the jury stated of the dossier professionnel, when it did (rule 17). */
      dossierProfessionnel: z.optional(DossierProfessionnel),
      proposedBy: z.string(),
      proposedAt: z.string(),
      signatures: z.array(z.object({ jurorId: z.string(), signedAt: z.string() })),
      final: z.boolean(),
      finalisedAt: z.optional(z.string()),
      annulled: z.boolean(),
    }),
  ),
  pv: z.object({ status: z.enum(['open', 'validated']), validatedBy: z.optional(z.string()), validatedOn: z.optional(z.string()), validatedAt: z.optional(z.string()) }),
  annulments: z.array(z.object({ candidateId: z.string(), reason: z.string(), legalBasis: z.string(), annulledBy: z.string(), annulledAt: z.string() })),
  /** The session stream's version this view reflects. */
  position: z.number(),
});

/** The whole jury; with `candidateId`, the jurors added for that candidate only, after recusals left it too small. */
export const JuryBody = z.object({ members: z.array(Id).check(z.minLength(1), z.maxLength(20)), candidateId: z.optional(Id) });
export const JuryAnswer = z.object({ sessionId: z.string(), members: z.array(Member) });

/** At a titre session a capitalising candidate names only the blocs they still lack (none when they hold them all). */
export const EnrolmentBody = z.object({ candidateId: Id, route: AccessRoute, blocs: z.optional(z.array(BlocCode).check(z.maxLength(50))) });
export const EnrolmentAnswer = z.object({ sessionId: z.string(), candidateId: z.string(), route: AccessRoute, blocs: z.array(z.string()) });

/** `jurorId` defaults to the calling juror; a centre or a DREETS agent names the juror. */
export const RecusalBody = z.object({ candidateId: Id, jurorId: z.optional(Id), reason: Text });

export const AssessmentBody = z.object({
  candidateId: Id,
  bloc: BlocCode,
  competences: z.array(z.object({ code: z.string().check(z.minLength(1), z.maxLength(32)), result: CompetenceResult })).check(z.minLength(1), z.maxLength(100)),
});

export const DeliberationBody = z.object({
  candidateId: Id,
  /** Required to award a bloc that every juror's grid found short: the jury's reason, recorded with its decision. */
  assessmentsOverridden: z.optional(shownText(2000)),
  outcome: DeliberationOutcome,
  blocs: z.array(BlocCode).check(z.maxLength(50)),
  finalInterviewHeld: z._default(z.boolean(), false),
  /**
   * `missing`: the candidate came without their dossier professionnel; a titre is then refused
   * (dossier-professionnel-missing). Unstated on a titre proposal: read as presented, unless the version's
   * `dossierProfessionnelMustBeStated` says otherwise (dossier-professionnel-not-stated).
   */
  dossierProfessionnel: z
    .optional(DossierProfessionnel)
    .check(
      z.describe(
        'Whether the candidate presented their dossier professionnel. A titre needs it: `missing` refuses the titre (dossier-professionnel-missing); unstated, it is read as presented unless the version requires it stated (dossier-professionnel-not-stated).',
      ),
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
  blocs: z.optional(z.array(BlocCode).check(z.minLength(1))),
  centreId: Id,
  startsOn: IsoDate,
  endsOn: IsoDate,
});

/** An agrément or a habilitation for a certification version: validFrom defaults to the ledger's date. */
export const GrantBody = z.object({ rncp: RncpCode, validUntil: IsoDate, validFrom: z.optional(IsoDate) });
/** An agrément may also cover CCS of the version, named by code (a CCS needs its own agrément). */
export const AgrementBody = z.extend(GrantBody, { ccs: z.optional(z.array(BlocCode).check(z.maxLength(20))) });
