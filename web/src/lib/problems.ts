/**
 * The API's refusals (RFC 9457 problem+json, `type` = /problems/<code>) said in French. The `detail` the API
 * gives (in English, with the ids concerned) is shown under it, with the code, for whoever supports the user.
 */
const sentences: Record<string, string> = {
  // Access
  unauthorized: 'Votre session a expiré ou vous n’êtes pas connecté : reconnectez-vous.',
  forbidden: 'Votre rôle ne permet pas cette action.',
  'not-your-session': 'Cette session n’est pas la vôtre : seuls son centre, ses jurés et la DREETS y ont accès.',
  'not-your-centre': 'Ce centre n’est pas le vôtre.',
  'not-your-candidate': 'Ce dossier appartient à un autre candidat ou à un autre centre.',
  'not-your-certificate': 'Ce certificat appartient à une autre personne.',
  'not-a-jury-member': 'Vous n’êtes pas membre du jury de cette session.',
  'rate-limited': 'Trop de demandes depuis votre adresse : patientez un instant puis réessayez.',
  // Unknown things
  'not-found': 'Cette ressource n’existe pas.',
  'session-not-found': 'Aucune session ne porte cet identifiant.',
  'centre-not-found': 'Aucun centre ne porte cet identifiant.',
  'centre-not-registered': 'Votre centre n’est pas enregistré par une DREETS : il ne peut ni inscrire de candidats ni programmer de sessions.',
  'candidate-not-found': 'Aucun candidat ne porte cet identifiant.',
  'juror-not-found': 'Aucun juré ne porte cet identifiant.',
  'certification-not-found': 'Cette certification n’existe pas au registre.',
  'certificate-not-found': 'Aucun certificat ne correspond à ce code.',
  'deliberation-not-found': 'Aucune délibération n’est proposée pour ce candidat.',
  // Sessions and juries
  'centre-not-agreed': 'Le centre n’a pas d’agrément pour cette certification sur toutes les dates de la session.',
  'certification-not-valid-on-dates': 'La certification n’est pas enregistrée au RNCP sur ces dates.',
  'session-in-the-past': 'Une session ne peut pas commencer avant aujourd’hui.',
  'invalid-session-dates': 'La date de fin précède la date de début.',
  'ccp-session-needs-blocs': 'Une session CCP indique les blocs qu’elle évalue.',
  'titre-session-covers-all-blocs': 'Une session titre évalue tous les blocs de la certification.',
  'session-already-scheduled': 'Cette session est déjà programmée.',
  'jury-too-small': 'Le jury est trop petit : la certification exige davantage de membres.',
  'jury-too-small-after-recusal': 'Après cette récusation, le jury serait trop petit pour ce candidat.',
  'jury-lacks-independent': 'Le jury doit compter au moins un membre indépendant du certificateur.',
  'jury-lacks-independent-after-recusal': 'Après cette récusation, il ne resterait pas assez de membres indépendants pour ce candidat.',
  'juror-not-habilitated': 'Un des jurés n’est pas habilité pour cette certification sur toutes les dates de la session.',
  'duplicate-jury-member': 'Un juré figure deux fois dans la liste.',
  'jury-locked': 'Le jury ne peut plus changer : des évaluations ou des délibérations sont enregistrées.',
  'candidate-already-enrolled': 'Ce candidat est déjà inscrit à cette session.',
  'already-sitting-titre-session': 'Ce candidat est déjà inscrit à une autre session titre de cette certification : une nouvelle inscription attend le procès-verbal de celle-ci.',
  'route-not-allowed': 'Cette voie d’accès n’est pas ouverte pour cette certification.',
  'enrolment-needs-blocs': 'L’inscription doit porter sur au moins un bloc.',
  'bloc-not-enrolled': 'Le candidat n’est pas inscrit pour ce bloc.',
  'candidate-not-enrolled': 'Ce candidat n’est pas inscrit à cette session.',
  'unknown-bloc': 'Ce bloc n’est pas évalué par cette session.',
  'unknown-competence': 'Cette compétence n’appartient pas au bloc.',
  'duplicate-competence': 'Une compétence est évaluée deux fois.',
  'session-not-started': 'La session n’a pas encore commencé : les évaluations ne sont pas ouvertes.',
  'session-ended': 'La session est terminée.',
  'session-not-ended': 'La session n’est pas encore terminée.',
  'session-closed': 'Le procès-verbal est validé : la session ne peut plus changer.',
  // Jurors
  'juror-recused': 'Vous vous êtes récusé pour ce candidat : vous ne pouvez ni l’évaluer, ni délibérer, ni signer.',
  'recusal-too-late': 'Trop tard pour se récuser : vous avez déjà évalué ce candidat, ou la délibération est proposée.',
  'assessments-closed': 'La délibération de ce candidat est proposée : les évaluations sont closes.',
  'deliberation-already-proposed': 'Une délibération est déjà proposée pour ce candidat : rechargez la session et signez-la si vous l’approuvez.',
  'ccp-needs-blocs': 'Une décision « CCP » indique les blocs acquis.',
  'outcome-takes-no-blocs': 'Une décision « ajourné » ou « absent » n’attribue aucun bloc.',
  'final-interview-required': 'Le titre n’est délivré qu’après l’entretien final : cochez-le s’il a eu lieu.',
  'titre-needs-all-blocs': 'Le titre s’obtient avec tous les blocs de la certification.',
  'titre-needs-titre-session': 'Une session CCP délivre des CCP, pas le titre.',
  'titre-blocs-missing': 'Des blocs manquent pour délivrer le titre.',
  'duplicate-bloc': 'Un bloc est cité deux fois.',
  // DREETS
  'no-candidates': 'La session n’a aucun candidat : il n’y a pas de procès-verbal à valider.',
  'deliberations-incomplete': 'Toutes les délibérations ne sont pas encore signées par le jury.',
  'pv-not-validated': 'Le procès-verbal n’est pas validé.',
  'agrement-beyond-version': 'Un agrément ne peut pas dépasser la date de fin d’enregistrement de la certification.',
  'habilitation-beyond-version': 'Une habilitation ne peut pas dépasser la date de fin d’enregistrement de la certification.',
  'invalid-validity-window': 'La période de validité est incohérente.',
  // Technical
  'invalid-json': 'La demande est mal formée.',
  'payload-too-large': 'La demande est trop volumineuse.',
  'concurrent-write': 'Quelqu’un a modifié la même ressource au même moment : rechargez puis réessayez.',
  'request-in-progress': 'La même demande est déjà en cours.',
  'internal-error': 'Le service a rencontré une erreur. Réessayez plus tard.',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

export const problemCode = (p: Pick<Problem, 'type'>) => p.type.replace(/^.*\/problems\//, '');

/** The French sentence for a refusal; a 400 lists its fields; an unknown code falls back on its status. */
export function describeProblem(p: Problem): string {
  const code = problemCode(p);
  const known = sentences[code];
  if (known) return known;
  if (p.status === 400) return 'La demande contient des valeurs refusées.';
  if (p.status === 409) return 'Cette action entre en conflit avec l’état actuel : rechargez puis réessayez.';
  if (p.status === 422) return 'Une règle de la certification refuse cette action.';
  if (p.status === 403) return sentences.forbidden!;
  if (p.status === 404) return sentences['not-found']!;
  return 'La demande a échoué.';
}
