/** The access routes to a certification as French readers name them (the pages, the ministry's CSV). Data only. */
export const ACCESS_ROUTE_LABELS = {
  formation_continue: 'Formation continue',
  apprentissage: 'Apprentissage',
  contrat_professionnalisation: 'Contrat de professionnalisation',
  vae: 'Validation des acquis de l’expérience (VAE)',
  eleve_etudiant: 'Élève ou étudiant',
  candidature_individuelle: 'Candidature individuelle',
} as const;
