import * as z from './zod.js';
import { BlocCode, defineEvent, IsoDate, RncpCode } from './define-event.js';

export const AccessRoute = z.enum(['formation_continue', 'apprentissage', 'contrat_professionnalisation', 'vae', 'eleve_etudiant', 'candidature_individuelle']);
export type AccessRoute = z.infer<typeof AccessRoute>;

export const ExamPart = z.object({
  name: z.string().check(z.minLength(1)),
  minutes: z.number().check(z.int(), z.positive()),
});

export const Competence = z.object({
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9.-]{1,31}$/)),
  title: z.string().check(z.minLength(1)),
});

export const Bloc = z.object({
  code: BlocCode,
  title: z.string().check(z.minLength(1)),
  competences: z.array(Competence).check(z.minLength(1)),
  /** The CCP session's exam for this bloc alone. */
  exam: z.optional(z.object({ parts: z.array(ExamPart), totalMinutes: z.number().check(z.int(), z.positive()) })),
});
export type Bloc = z.infer<typeof Bloc>;

export const UsabilityRegime = z.discriminatedUnion('kind', [
  /**
   * 2006 regime: a CCP counts toward the titre for `years` after its acquisition, and never after the version
   * ends. `acquiredBefore`: the regime holds for CCPs acquired before that date; later ones count, as under the
   * 2016 regime, while the version is registered plus `laterGraceYears` (décret 2016-954, in force 14 July 2016).
   */
  z.object({
    kind: z.literal('fixed-years'),
    years: z.number().check(z.int(), z.positive()),
    acquiredBefore: z.optional(IsoDate),
    laterGraceYears: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
  /** Since 14 July 2016: while the version is registered, plus `graceYears` after it closes. */
  z.object({ kind: z.literal('titre-validity'), graceYears: z.number().check(z.int(), z.nonnegative()) }),
]);
export type UsabilityRegime = z.infer<typeof UsabilityRegime>;

export const CertificationVersion = z.object({
  rncp: RncpCode,
  tpCode: z.optional(z.string()),
  millesime: z.optional(z.string()),
  title: z.string().check(z.minLength(1)),
  level: z.number().check(z.int(), z.gte(1), z.lte(8)),
  certifier: z.string().check(z.minLength(1)),
  nsf: z._default(z.array(z.string()), []),
  validFrom: IsoDate,
  validUntil: IsoDate,
  regime: UsabilityRegime,
  accessRoutes: z.object({ allowed: z.array(AccessRoute), refused: z.array(AccessRoute) }),
  jury: z.object({ minMembers: z.number().check(z.int(), z.gte(1)), minIndependent: z.number().check(z.int(), z.nonnegative()) }),
  /** Whether a titre deliberation needs the entretien final to have been held. */
  finalInterviewRequired: z.boolean(),
  /**
   * Whether a jury issuing the titre by capitalisation (at the CCP session of the last missing bloc, or at a
   * titre session on the missing blocs only) must hold the entretien final first: an open question
   * (research/domain_rules.md §2.5), so each version states its choice. Absent: as `finalInterviewRequired`.
   */
  capitalisationFinalInterviewRequired: z.optional(z.boolean()),
  /**
   * Whether agréments and habilitations may run into the grace year after the version ends (art. 3 of the arrêté
   * of 22/12/2015 gives holders of its CCPs a year to obtain the titre; the texts do not say who examines them
   * then). Absent: no, they end with the version.
   */
  agrementsExtendIntoGrace: z.optional(z.boolean()),
  /**
   * Whether a titre proposal must state the dossier professionnel (`presented` or `missing`). The titre needs it
   * presented (arrêté of 22/12/2015: the jury decides on it, the candidate presents it at every session); whether a
   * proposal that does not say is read as presented is an open point (research/domain_rules.md §2.4, §2.5), so each
   * version states its choice. Absent: no, an unstated dossier is read as presented (API.md keeps the field optional).
   */
  dossierProfessionnelMustBeStated: z.optional(z.boolean()),
  /** The session titre's exam, entretien final included. */
  titreExam: z.optional(z.object({ parts: z.array(ExamPart), totalMinutes: z.number().check(z.int(), z.positive()) })),
  blocs: z.array(Bloc).check(z.minLength(1)),
  /** The certificats complémentaires de spécialisation (CCS) of the version: open only to holders of its titre. */
  ccs: z._default(z.array(Bloc), []),
  predecessor: z.optional(RncpCode),
  /** Where each fact comes from, and what was chosen where the seeds are silent. */
  source: z.string(),
  assumptions: z._default(z.array(z.string()), []),
});
export type CertificationVersion = z.infer<typeof CertificationVersion>;

export const Correspondence = z.object({
  /** Holding every one of these blocs of the old version... */
  from: z.array(BlocCode).check(z.minLength(1)),
  /** ...counts as holding this bloc of the successor. */
  to: BlocCode,
});
export type Correspondence = z.infer<typeof Correspondence>;

export const CertificationVersionRegistered = defineEvent('CertificationVersionRegistered', {
  latest: CertificationVersion,
});

export const CertificationVersionRevised = defineEvent('CertificationVersionRevised', {
  latest: z.object({
    rncp: RncpCode,
    successor: RncpCode,
    effectiveOn: IsoDate,
    correspondences: z.array(Correspondence),
    assumptions: z._default(z.array(z.string()), []),
  }),
});

/**
 * A version closed (art. 3 3° of the arrêté of 22/12/2015): no successor; holders of its usable CCPs have until
 * `graceUntil` to obtain its titre. `closedOn` is its last day of registration.
 */
export const CertificationVersionClosed = defineEvent('CertificationVersionClosed', {
  latest: z.object({ rncp: RncpCode, closedOn: IsoDate, graceUntil: IsoDate, assumptions: z._default(z.array(z.string()), []) }),
});

/** A version prorogued as it is (art. 3 1°): registered until a later date, nothing else changes. */
export const CertificationVersionProrogued = defineEvent('CertificationVersionProrogued', {
  latest: z.object({ rncp: RncpCode, previousValidUntil: IsoDate, validUntil: IsoDate, decidedOn: IsoDate, assumptions: z._default(z.array(z.string()), []) }),
});

/**
 * The referential's reading of a registered version changed where no certificate depends on it (its rules and
 * assumptions: regime details, jury rules, switches such as capitalisationFinalInterviewRequired): the version as
 * now read, and the fields that changed. Its code, title, level, certifier, dates, blocs and CCS never change.
 */
export const CertificationVersionAmended = defineEvent('CertificationVersionAmended', {
  latest: z.object({ version: CertificationVersion, changed: z.array(z.string()).check(z.minLength(1)) }),
});
