/**
 * The API's 400 lists the offending fields as zod says them, in English and by path (`body.region`,
 * `Invalid option: expected one of …`): for whoever supports the user. The pages say each in French, naming the
 * field as the form names it.
 */
const fieldNames: Record<string, string> = {
  name: 'nom',
  region: 'région',
  rncp: 'certification',
  validFrom: 'début de validité',
  validUntil: 'fin de validité',
  startsOn: 'premier jour',
  endsOn: 'dernier jour',
  familyName: 'nom de famille',
  givenNames: 'prénoms',
  birthDate: 'date de naissance',
  email: 'adresse électronique',
  candidateId: 'candidat',
  centreId: 'centre',
  jurorId: 'juré',
  sessionId: 'session',
  members: 'membres du jury',
  blocs: 'blocs évalués',
  kind: 'type de session',
  route: 'voie d’accès',
  outcome: 'décision',
  reason: 'motif',
  legalBasis: 'base légale',
  decidedOn: 'date de la décision',
  asOf: 'date de vérification',
  code: 'code',
  competences: 'compétences',
  result: 'résultat',
  independent: 'indépendance',
  year: 'année',
  format: 'format',
  horizon: 'échéance',
  situation: 'situation',
  titre: 'titre',
  ccs: 'spécialisations (CCS)',
  now: 'date',
  exportId: 'export',
  accommodations: 'aménagements',
};

/** The field a path names, in French: its last name that is not a list position (`body.members.0` → membres du jury). */
const fieldOf = (path: string) =>
  path
    .split('.')
    .filter((part) => part !== '' && !/^\d+$/.test(part) && !['body', 'query', 'path'].includes(part))
    .at(-1);

/** `labels`: the names the form on screen gives its fields (its labels), preferred to the generic ones. */
export function fieldLabel(path: string, labels: Readonly<Record<string, string>> = {}): string {
  const last = fieldOf(path);
  if (!last) return 'la demande';
  return `le champ « ${labels[last] ?? fieldNames[last] ?? last} »`;
}

/** The field of the form an error is about (its `name`), if any. */
export const fieldNameOf = (path: string) => fieldOf(path);

/**
 * What is wrong, in French, from the shape of the message (zod's English locale, or the contract's own words for a
 * check: "one of the 18 French regions…", "expected an ISO date"); anything else reads « n’est pas valide ».
 */
function whatIsWrong(field: string | undefined, message: string): string {
  const count = (pattern: RegExp) => pattern.exec(message)?.[1];
  const unit = /string|character/.test(message) ? ' caractères' : '';
  if (/received undefined/.test(message)) return 'est obligatoire';
  if (field === 'region' && /one of|Invalid option/.test(message)) return 'doit être l’une des 18 régions, écrite comme dans la liste';
  if (/one of|^Invalid option|^Invalid input: expected ["\d]/.test(message)) return 'n’est pas une des valeurs acceptées';
  if (/expected (string|number|boolean|array|object|int|record|date)\b.*received/.test(message)) return 'n’a pas le type attendu';
  const least = count(/(?:at least|>=|>)\s*(\d+)/);
  if (least !== undefined && /Too small|at least/.test(message)) {
    if (least === '1' && unit) return 'ne doit pas être vide';
    return /array|element|item/.test(message) ? `doit en compter au moins ${least}` : `est trop ${unit ? 'court' : 'petit'} (au moins ${least}${unit})`;
  }
  const most = count(/(?:at most|<=|<)\s*(\d+)/);
  if (most !== undefined && /Too big|at most/.test(message)) {
    return /array|element|item/.test(message) ? `doit en compter au plus ${most}` : `est trop ${unit ? 'long' : 'grand'} (au plus ${most}${unit})`;
  }
  if (/date|format|pattern|Invalid (string|ISO|email|UUID|url)/i.test(message)) return 'n’a pas le format attendu';
  return 'n’est pas valide';
}

/** One French sentence per offending field: « Le champ « région » n’est pas une des valeurs acceptées. » */
export function fieldErrorSentence(error: { path: string; message: string }, labels: Readonly<Record<string, string>> = {}): string {
  const unrecognized = /^Unrecognized keys?: (.+)$/.exec(error.message);
  const subject = unrecognized ? `le champ ${unrecognized[1]!.replaceAll('"', '')}` : fieldLabel(error.path, labels);
  const wrong = unrecognized ? 'n’est pas attendu par le registre' : whatIsWrong(fieldOf(error.path), error.message);
  return `${subject.charAt(0).toLocaleUpperCase('fr')}${subject.slice(1)} ${wrong}.`;
}
