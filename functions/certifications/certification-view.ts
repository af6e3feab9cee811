import * as z from '../../events/zod.js';
import { AccessRoute } from '../../events/certification.js';
import { RncpCode } from '../../events/define-event.js';
import type { CatalogueEntry } from '../projections/certification-catalogue.js';

export const CertificationSummary = z.object({
  rncp: z.string(),
  title: z.string(),
  level: z.number(),
  validFrom: z.string(),
  validUntil: z.string(),
  blocs: z.array(z.object({ code: z.string(), title: z.string() })),
});

export const CertificationDetail = z.extend(CertificationSummary, {
  tpCode: z.optional(z.string()),
  regime: z.object({
    kind: z.enum(['fixed-years', 'titre-validity']),
    years: z.optional(z.number()),
    graceYears: z.optional(z.number()),
    acquiredBefore: z.optional(z.string()),
    laterGraceYears: z.optional(z.number()),
  }),
  accessRoutes: z.object({ allowed: z.array(AccessRoute), refused: z.array(AccessRoute) }),
  jury: z.object({ minMembers: z.number(), minIndependent: z.number() }),
  finalInterviewRequired: z.boolean(),
  /** Whether the jury issuing the titre by capitalisation holds the entretien final (an assumption of the referential). */
  capitalisationFinalInterviewRequired: z.boolean(),
  /** Whether a titre proposal must state the dossier professionnel (an assumption of the referential). */
  dossierProfessionnelMustBeStated: z.boolean(),
  blocs: z.array(z.object({ code: z.string(), title: z.string(), competences: z.array(z.object({ code: z.string(), title: z.string() })) })),
  ccs: z.optional(z.array(z.object({ code: z.string(), title: z.string(), competences: z.array(z.object({ code: z.string(), title: z.string() })) }))),
  predecessor: z.optional(z.string()),
  successor: z.optional(z.string()),
  /** The end of the version: prorogations, closure and the end of its grace year (DESIGN.md rule 11). */
  closure: z.optional(z.object({ closedOn: z.string(), graceUntil: z.string() })),
  prorogations: z.optional(z.array(z.object({ previousValidUntil: z.string(), validUntil: z.string(), decidedOn: z.string() }))),
  correspondences: z.optional(z.array(z.object({ from: z.array(z.string()), to: z.string() }))),
  assumptions: z.array(z.string()),
});

export const RncpParams = z.object({ rncp: RncpCode });

export const summaryOf = ({ version: v }: CatalogueEntry) => ({
  rncp: v.rncp,
  title: v.title,
  level: v.level,
  validFrom: v.validFrom,
  validUntil: v.validUntil,
  blocs: v.blocs.map((b) => ({ code: b.code, title: b.title })),
});

export const detailOf = (entry: CatalogueEntry) => {
  const v = entry.version;
  return {
    ...summaryOf(entry),
    tpCode: v.tpCode,
    regime: v.regime,
    accessRoutes: v.accessRoutes,
    jury: v.jury,
    finalInterviewRequired: v.finalInterviewRequired,
    capitalisationFinalInterviewRequired: v.capitalisationFinalInterviewRequired ?? v.finalInterviewRequired,
    dossierProfessionnelMustBeStated: v.dossierProfessionnelMustBeStated ?? false,
    blocs: v.blocs.map((b) => ({ code: b.code, title: b.title, competences: b.competences, ...(b.exam ? { exam: b.exam } : {}) })),
    ...(v.titreExam ? { titreExam: v.titreExam } : {}),
    ...(v.ccs.length ? { ccs: v.ccs.map((c) => ({ code: c.code, title: c.title, competences: c.competences })) } : {}),
    ...(entry.closure ? { closure: entry.closure } : {}),
    ...(entry.prorogations ? { prorogations: entry.prorogations } : {}),
    predecessor: v.predecessor,
    successor: entry.successor,
    correspondences: entry.revision?.correspondences,
    assumptions: v.assumptions,
  };
};
