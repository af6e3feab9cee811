import type { TitreRoute } from '../../events/candidate.js';

/** How a titre was obtained, as its certificate says it (arrêté du 22 décembre 2015, art. 1). */
export const titreRouteText: Record<TitreRoute, string> = {
  session: 'à l’issue d’une session titre',
  capitalisation: 'par capitalisation des certificats de compétences professionnelles',
  equivalence: 'par équivalence',
  vae: 'par la validation des acquis de l’expérience',
};
