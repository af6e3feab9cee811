/** Dates, statuses and labels as French readers expect them. */
import { deFr, frenchDate, queFr } from '../../../domain/french-words.js';

const instantFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

/** '2025-10-06' → '6 octobre 2025', '2025-12-01' → '1er décembre 2025': the one formatter of PDFs and notifications too. */
export function dateFr(date: string | undefined | null): string {
  if (!date) return '—';
  return frenchDate(date.slice(0, 10));
}

const firstOfMonth = (formatted: string) => formatted.replace(/^1(?= )/, '1er');

export { deFr, queFr };

/** « Connecté en tant qu’agent de la DREETS », « … que centre d’examen, juré »: the roles mid-sentence, lower case. */
export const connectedAs = (roleNames: readonly string[]) => `Connecté en tant ${queFr(roleNames.map((n) => n.charAt(0).toLocaleLowerCase('fr') + n.slice(1)).join(', '))}.`;

/** An instant, in Paris time: '6 octobre 2025 à 18:00'. */
export function instantFr(instant: string | undefined | null): string {
  if (!instant) return '—';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : firstOfMonth(instantFormat.format(d));
}

export const numberFr = (n: number | null | undefined) => (n === null || n === undefined ? '—' : new Intl.NumberFormat('fr-FR').format(n));
export const percentFr = (n: number | null | undefined) => (n === null || n === undefined ? 'non disponible' : `${numberFr(n)} %`);

export const statusLabels: Record<string, string> = { valid: 'Valide', suspended: 'Suspendu', revoked: 'Révoqué' };
export const statusExplanations: Record<string, string> = {
  valid: 'Ce certificat est authentique et en vigueur.',
  suspended: 'Ce certificat est suspendu : il ne peut pas être utilisé tant que la suspension dure.',
  revoked: 'Ce certificat a été retiré : il n’atteste plus la certification.',
};

export const kindLabels: Record<string, string> = { titre: 'Titre professionnel', ccp: 'Certificat de compétences professionnelles (CCP)' };
export const sessionKindLabels: Record<string, string> = { titre: 'Session titre', ccp: 'Session CCP' };

export const routeLabels: Record<string, string> = {
  formation_continue: 'Formation continue',
  apprentissage: 'Apprentissage',
  contrat_professionnalisation: 'Contrat de professionnalisation',
  vae: 'Validation des acquis de l’expérience (VAE)',
  eleve_etudiant: 'Élève ou étudiant',
  candidature_individuelle: 'Candidature individuelle',
};

/** For charts, where labels must stay short. */
export const shortRouteLabels: Record<string, string> = {
  formation_continue: 'Formation continue',
  apprentissage: 'Apprentissage',
  contrat_professionnalisation: 'Contrat de professionnalisation',
  vae: 'VAE',
  eleve_etudiant: 'Élève ou étudiant',
  candidature_individuelle: 'Candidature individuelle',
};

export const outcomeLabels: Record<string, string> = { titre: 'Titre délivré', ccp: 'CCP acquis', ajourne: 'Ajourné', absent: 'Absent', exclu: 'Exclu (fraude)' };
export const resultLabels: Record<string, string> = { acquis: 'Acquis', non_acquis: 'Non acquis' };

/** A long id shortened for reading (the full id stays available where it must be copied). */
export const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);
