import { z } from 'zod';
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

export const CertificationDetail = CertificationSummary.extend({
  tpCode: z.string().optional(),
  regime: z.object({
    kind: z.enum(['fixed-years', 'titre-validity']),
    years: z.number().optional(),
    graceYears: z.number().optional(),
    acquiredBefore: z.string().optional(),
    laterGraceYears: z.number().optional(),
  }),
  accessRoutes: z.object({ allowed: z.array(AccessRoute), refused: z.array(AccessRoute) }),
  jury: z.object({ minMembers: z.number(), minIndependent: z.number() }),
  finalInterviewRequired: z.boolean(),
  /** Whether the jury issuing the titre by capitalisation holds the entretien final (an assumption of the referential). */
  capitalisationFinalInterviewRequired: z.boolean(),
  /** Whether a titre proposal must state the dossier professionnel (an assumption of the referential). */
  dossierProfessionnelMustBeStated: z.boolean(),
  blocs: z.array(z.object({ code: z.string(), title: z.string(), competences: z.array(z.object({ code: z.string(), title: z.string() })) })),
  ccs: z.array(z.object({ code: z.string(), title: z.string(), competences: z.array(z.object({ code: z.string(), title: z.string() })) })).optional(),
  predecessor: z.string().optional(),
  successor: z.string().optional(),
  /** The end of the version: prorogations, closure and the end of its grace year (DESIGN.md rule 11). */
  closure: z.object({ closedOn: z.string(), graceUntil: z.string() }).optional(),
  prorogations: z.array(z.object({ previousValidUntil: z.string(), validUntil: z.string(), decidedOn: z.string() })).optional(),
  correspondences: z.array(z.object({ from: z.array(z.string()), to: z.string() })).optional(),
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
