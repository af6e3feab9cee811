import type { CertificationVersion } from '../../events/certification.js';

/** A version shaped like RNCP38665 (2 blocs, jury of 2, entretien final required), small enough to read. */
export const version = (over: Partial<CertificationVersion> = {}): CertificationVersion => ({
  rncp: 'RNCP38665',
  title: 'Manager d’équipe relation client à distance',
  level: 5,
  certifier: 'Ministère du Travail',
  nsf: [],
  validFrom: '2024-05-12',
  validUntil: '2029-05-12',
  regime: { kind: 'titre-validity', graceYears: 1 },
  accessRoutes: {
    allowed: ['formation_continue', 'apprentissage', 'contrat_professionnalisation', 'vae'],
    refused: ['eleve_etudiant', 'candidature_individuelle'],
  },
  jury: { minMembers: 2, minIndependent: 0 },
  finalInterviewRequired: true,
  blocs: [
    {
      code: 'RNCP38665BC01',
      title: 'Piloter',
      competences: [
        { code: 'RNCP38665BC01C1', title: 'c1' },
        { code: 'RNCP38665BC01C2', title: 'c2' },
      ],
    },
    {
      code: 'RNCP38665BC02',
      title: 'Manager',
      competences: [
        { code: 'RNCP38665BC02C1', title: 'c1' },
        { code: 'RNCP38665BC02C2', title: 'c2' },
      ],
    },
  ],
  ccs: [],
  source: 'test',
  assumptions: [],
  ...over,
});
