import { ApiError } from './api.js';
import { controlLabel, h, markInvalid, showError, type Child } from './dom.js';
import { fieldErrorSentence, fieldNameOf } from './field-errors.js';

/** A refusal in words: the French sentence, then what the API said (detail, fields) and the rule's code. */
type FormControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
const controlsOf = (f: HTMLFormElement | null | undefined) =>
  Array.from(f?.elements ?? []).filter((el): el is FormControl => el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement);

/** `labels`: the names the form on screen gives its fields, so a refusal names them as the reader sees them. */
export function refusalContent(error: unknown, labels: Readonly<Record<string, string>> = {}): Child[] {
  if (!(error instanceof ApiError)) return [h('p', null, h('strong', null, 'Échec : '), error instanceof Error ? error.message : String(error))];
  const p = error.problem;
  const lead = p.status === 422 || p.status === 409 ? 'Refusé : ' : p.status === 403 || p.status === 401 ? 'Accès refusé : ' : 'Échec : ';
  return [
    h('p', null, h('strong', null, lead), error.message),
    p.errors?.length
      ? h(
          'ul',
          null,
          p.errors.map((e) => h('li', null, fieldErrorSentence(e, labels))),
        )
      : null,
    p.detail
      ? h('p', { class: 'problem-detail' }, 'Détail transmis par le registre : ', h('span', { lang: 'en' }, p.detail), ` (règle « ${error.code} », code ${p.status}).`)
      : null,
  ];
}

/** The names the form holding `area` gives its fields (their labels), by field name. */
export function formLabels(area: HTMLElement): Record<string, string> {
  return Object.fromEntries(controlsOf(area.closest('form')).map((el) => [el.name, controlLabel(el)]));
}

/** Each field the API refused gets its own message next to it, in the form holding `area`. */
export function markRefusedFields(area: HTMLElement, error: unknown) {
  if (!(error instanceof ApiError)) return;
  const controls = controlsOf(area.closest('form'));
  const labels = formLabels(area);
  for (const e of error.problem.errors ?? []) {
    const el = controls.find((c) => c.name === fieldNameOf(e.path));
    if (el) markInvalid(el, fieldErrorSentence(e, labels));
  }
}

/** The refusal in the form's message area, the fields named as the form names them. */
export function showRefusal(area: HTMLElement, error: unknown) {
  showError(area, ...refusalContent(error, formLabels(area)));
  markRefusedFields(area, error);
}
