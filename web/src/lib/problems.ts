import { PROBLEM_SENTENCES } from '../../../domain/problem-codes.js';

/**
 * The API's refusals (RFC 9457 problem+json, `type` = /problems/<code>) said in French. The `detail` the API
 * gives (in English, with the ids concerned) is shown under it, with the code, for whoever supports the user.
 */
const sentences: Record<string, string> = PROBLEM_SENTENCES;

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
