import { ApiError } from './api.js';
import { h, showError, type Child } from './dom.js';
import { fieldErrorSentence } from './field-errors.js';

/** A refusal in words: the French sentence, then what the API said (detail, fields) and the rule's code. */
export function refusalContent(error: unknown): Child[] {
  if (!(error instanceof ApiError)) return [h('p', null, h('strong', null, 'Échec : '), error instanceof Error ? error.message : String(error))];
  const p = error.problem;
  const lead = p.status === 422 || p.status === 409 ? 'Refusé : ' : p.status === 403 || p.status === 401 ? 'Accès refusé : ' : 'Échec : ';
  return [
    h('p', null, h('strong', null, lead), error.message),
    p.errors?.length
      ? h(
          'ul',
          null,
          p.errors.map((e) => h('li', null, fieldErrorSentence(e))),
        )
      : null,
    p.detail
      ? h('p', { class: 'problem-detail' }, 'Détail transmis par le registre : ', h('span', { lang: 'en' }, p.detail), ` (règle « ${error.code} », code ${p.status}).`)
      : null,
  ];
}

export function showRefusal(area: HTMLElement, error: unknown) {
  showError(area, ...refusalContent(error));
}
